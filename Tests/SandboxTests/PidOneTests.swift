import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// The jail's pid 1 is a fork of the kernel process: these check that it keeps nothing of the
/// kernel's that a cell could reach, whatever route: its memory, its working directory, and its
/// /proc files for a caller that the ptrace rules alone would let in.
@Suite(.serialized) struct PidOneTests {
    /// A jail whose program sleeps; its `pid` is the jail's pid 1.
    func sleepingJail() throws -> ChildProcess {
        let child = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/bin/sleep", arguments: ["60"])
        child.closeStdin()
        return child
    }

    @Test(.enabled(if: geteuid() == 0, "reading another process's memory needs CAP_SYS_PTRACE"))
    func pidOneKeepsNoCopyOfTheKernelsHeap() throws {
        // A secret in this process's heap, as the connection's HMAC key is in the kernel's.
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 1...255, using: &generator) }
        let held = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: secret.count)
        _ = held.initialize(from: secret)
        defer { held.deallocate() }

        let child = try sleepingJail()
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        #expect(try regions(of: getpid(), holding: secret).count > 0, "the scan must find the secret where it is")
        let found = try regions(of: child.pid, holding: secret)
        #expect(found.isEmpty, "pid 1 still holds the kernel's memory: \(found)")
    }

    @Test(.enabled(if: geteuid() == 0, "pid 1's cwd is readable from the host only with CAP_SYS_PTRACE"))
    func pidOneWorksInTheJailsRootNotTheKernelsDirectory() throws {
        let child = try sleepingJail()
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        let cwd = listing("/proc/\(child.pid)/cwd")
        #expect(cwd.contains("scratch") && cwd.contains("usr"), "\(cwd)")
        #expect(cwd == listing("/proc/\(child.pid)/root"))
    }

    /// The ptrace rules let a caller with pid 1's uids and no capabilities at all read its
    /// /proc files while it is dumpable (the caller owns the jail's user namespace). Run as
    /// root, `setpriv` makes such a caller; otherwise this process is one.
    @Test func pidOneIsNotDumpable() throws {
        let setpriv = "/usr/bin/setpriv"
        let root = geteuid() == 0
        guard !root || access(setpriv, X_OK) == 0 else {
            Issue.record("cannot test: \(setpriv) is missing")
            return
        }
        let child = try sleepingJail()
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        var script = ""
        for file in ["environ", "maps", "mem", "cwd/", "root/", "fd/"] {
            let path = "/proc/\(child.pid)/\(file)"
            let read = file.hasSuffix("/") ? "ls \(path)" : "head -c 1 \(path)"
            script += "\(read) >/dev/null 2>&1 && echo 'read \(file)'\n"
        }
        script += "grep CapEff /proc/self/status\n"
        let noCaps = ["--bounding-set=-all", "--inh-caps=-all", "--securebits=+noroot,+noroot_locked,+no_setuid_fixup"]
        let run = try CommandRun.run(root ? setpriv : "/bin/sh", root ? noCaps + ["/bin/sh", "-c", script] : ["-c", script])
        #expect(run.stdout.contains("CapEff:\t0000000000000000"), "\(run.stdout) \(run.stderr)")
        // fd/ lists nothing readable either way (pid 1 closes every descriptor); the rest are refused.
        #expect(!run.stdout.contains("read environ") && !run.stdout.contains("read maps") && !run.stdout.contains("read mem"),
                "\(run.stdout)")
        #expect(!run.stdout.contains("read cwd") && !run.stdout.contains("read root"), "\(run.stdout)")
    }

}

/// The `maps` lines of `pid`'s readable mappings that hold `needle` (a pattern without zero bytes).
func regions(of pid: pid_t, holding needle: [UInt8]) throws -> [String] {
    let maps = String(decoding: try readWholeFile("/proc/\(pid)/maps"), as: UTF8.self)
    let mem = open("/proc/\(pid)/mem", O_RDONLY | O_CLOEXEC)
    guard mem >= 0 else { throw SandboxError(.read, errno: errno, detail: "/proc/\(pid)/mem") }
    defer { close(mem) }
    let chunk = 1 << 20
    var buffer = [UInt8](repeating: 0, count: chunk + needle.count)
    var found: [String] = []
    for line in maps.split(separator: "\n") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 5, fields[1].hasPrefix("r"), !(fields.count > 5 && fields[5].hasPrefix("[vvar")),
              let range = Optional(fields[0].split(separator: "-")), range.count == 2,
              let start = UInt64(range[0], radix: 16), let end = UInt64(range[1], radix: 16) else { continue }
        var offset = start
        while offset < end {
            let want = Int(min(UInt64(chunk + needle.count - 1), end - offset))
            let got = buffer.withUnsafeMutableBytes { pread(mem, $0.baseAddress, want, off_t(Int64(bitPattern: offset))) }
            if got <= 0 { break }
            if contains(buffer, count: got, needle) {
                found.append(String(line))
                break
            }
            offset += UInt64(max(got - (needle.count - 1), 1))
        }
    }
    return found
}

/// Whether `haystack[0..<count]` contains `needle`: memchr for its first byte, then memcmp.
private func contains(_ haystack: [UInt8], count: Int, _ needle: [UInt8]) -> Bool {
    haystack.withUnsafeBytes { hay in
        needle.withUnsafeBytes { pin in
            var at = 0
            while count - at >= needle.count {
                guard let hit = memchr(hay.baseAddress! + at, Int32(needle[0]), count - at) else { return false }
                at = hay.baseAddress!.distance(to: UnsafeRawPointer(hit))
                if count - at >= needle.count && memcmp(hay.baseAddress! + at, pin.baseAddress!, needle.count) == 0 { return true }
                at += 1
            }
            return false
        }
    }
}
