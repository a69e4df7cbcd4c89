import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// Timings, not assertions: run with `GHCBOX_BENCH=1 swift test --filter JailBenchmark`.
@Suite(.serialized, .enabled(if: getenv("GHCBOX_BENCH") != nil))
struct JailBenchmark {
    static let runs = 10

    @Test func ghciStartToFirstResultJailedVersusPlain() throws {
        let spec = try defaultSpec()
        var plain: [Double] = [], jailed: [Double] = []
        for _ in 0..<Self.runs {
            plain.append(try firstResult {
                try PlainSpawner.spawn(executable: "/usr/bin/ghci", arguments: ["-v0", "-ignore-dot-ghci"],
                                       environment: spec.environment)
            })
            jailed.append(try firstResult {
                try JailSpawner.spawn(spec: spec, executable: "/usr/bin/ghci", arguments: ["-v0", "-ignore-dot-ghci"])
            })
        }
        var spawnPlain: [Double] = [], spawnJailed: [Double] = []
        for _ in 0..<Self.runs {
            spawnPlain.append(try exitTime { try PlainSpawner.spawn(executable: "/bin/true", arguments: [], environment: [:]) })
            spawnJailed.append(try exitTime { try JailSpawner.spawn(spec: spec, executable: "/bin/true", arguments: []) })
        }
        var compile: [Double] = []
        for _ in 0..<Self.runs {
            let t0 = now()
            try spec.seccomp.validate()
            compile.append(now() - t0)
        }
        print("""
            BENCH ghci -v0 start to first result of 1+1, median of \(Self.runs):
              plain  \(ms(median(plain)))   (min \(ms(plain.min()!)), max \(ms(plain.max()!)))
              jailed \(ms(median(jailed)))   (min \(ms(jailed.min()!)), max \(ms(jailed.max()!)))
              jailed - plain \(ms(median(jailed) - median(plain))), ratio \(median(jailed) / median(plain))
            BENCH spawn to exit of /bin/true: plain \(ms(median(spawnPlain))), jailed \(ms(median(spawnJailed)))
            BENCH seccomp policy compile (\(spec.seccomp.rules.count) rules): \(ms(median(compile)))
            """)
    }

    @Test func scratchWipe() throws {
        let child = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/usr/bin/sleep", arguments: ["600"])
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        let wiper = ScratchWiper(process: child)
        var empty: [Double] = [], typical: [Double] = []
        for _ in 0..<Self.runs {
            var t0 = now()
            try wiper.wipe()
            empty.append(now() - t0)
            // A busy cell: 100 files of 4 KiB in 10 directories, plus 10 files in /tmp.
            let scratch = "/proc/\(child.pid)/root/scratch"
            for d in 0..<10 {
                mkdir("\(scratch)/dir\(d)", 0o755)
                for f in 0..<10 { write(path: "\(scratch)/dir\(d)/file\(f)", bytes: 4096) }
                write(path: "/proc/\(child.pid)/root/tmp/t\(d)", bytes: 4096)
            }
            t0 = now()
            let removed = try wiper.wipe()
            typical.append(now() - t0)
            #expect(removed == 120)
        }
        print("BENCH scratch wipe, median of \(Self.runs): empty \(ms(median(empty))), 120 entries \(ms(median(typical)))")
    }

    private func firstResult(_ start: () throws -> ChildProcess) throws -> Double {
        let t0 = now()
        let child = try start()
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        try send(child, "1+1\n")
        let got = collect(child) { $0.stdout.contains("\n") }
        #expect(got.stdout == "2\n")
        return now() - t0
    }

    private func exitTime(_ start: () throws -> ChildProcess) throws -> Double {
        let t0 = now()
        let child = try start()
        child.wait()
        let t = now() - t0
        child.closeDescriptors()
        return t
    }

    private func write(path: String, bytes: Int) {
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        let data = [UInt8](repeating: 120, count: bytes)
        _ = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func ms(_ seconds: Double) -> String {
    let tenths = Int((seconds * 10_000).rounded())
    return "\(tenths / 10).\(abs(tenths % 10)) ms"
}
