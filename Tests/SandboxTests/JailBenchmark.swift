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
        // A shell in the jail creates the files (the host cannot create inodes in the
        // jail's tmpfs: its uid is not mapped there).
        let child = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/bin/sh", arguments: [])
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        let wiper = ScratchWiper(process: child)
        var empty: [Double] = [], typical: [Double] = []
        for round in 0..<Self.runs {
            var t0 = now()
            try wiper.wipe()
            empty.append(now() - t0)
            // A busy cell: 100 files of 4 KiB in 10 directories, plus 10 files in /tmp.
            try send(child, """
                for d in 0 1 2 3 4 5 6 7 8 9; do mkdir /scratch/dir$d; for f in 0 1 2 3 4 5 6 7 8 9; do
                head -c 4096 /dev/zero > /scratch/dir$d/file$f; done; head -c 4096 /dev/zero > /tmp/t$d; done; echo ready\(round)

                """)
            #expect(collect(child) { $0.stdout.contains("ready\(round)\n") }.stdout == "ready\(round)\n")
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
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func ms(_ seconds: Double) -> String {
    let tenths = Int((seconds * 10_000).rounded())
    return "\(tenths / 10).\(abs(tenths % 10)) ms"
}
