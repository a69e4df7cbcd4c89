#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox
import SystemLayer
import SystemPackage

/// The repository's policy file, found from this source file's path.
let policyPath: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3) // Tests/SandboxTests/JailTestSupport.swift
    return parts.joined(separator: "/") + "/sandbox/seccomp.policy"
}()

func defaultSpec() throws -> SandboxSpec {
    SandboxSpec.ghciDefault(policy: try SeccompPolicy.load(path: policyPath))
}

/// Output collected from a child until a condition holds, both streams at once.
struct Collected {
    var stdout = ""
    var stderr = ""
}

/// Reads stdout and stderr until `done` holds, both ends close, or `seconds` pass.
@discardableResult
func collect(_ child: ChildProcess, seconds: Double = 30,
             until done: (Collected) -> Bool = { _ in false }) -> Collected {
    var got = Collected()
    var open = [child.stdoutFD.rawValue, child.stderrFD.rawValue]
    let deadline = now() + seconds
    while !open.isEmpty && !done(got) {
        let left = deadline - now()
        if left <= 0 { break }
        var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000))
        if n <= 0 { continue }
        for entry in fds where entry.revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let r = read(entry.fd, &buffer, buffer.count)
            if r <= 0 {
                open.removeAll { $0 == entry.fd }
                continue
            }
            let text = String(decoding: buffer[0..<r], as: UTF8.self)
            if entry.fd == child.stdoutFD.rawValue { got.stdout += text } else { got.stderr += text }
        }
    }
    return got
}

private let testClockOrigin = ContinuousClock.now

/// Seconds on the continuous clock, for timings the tests average and compare.
func now() -> Double {
    (ContinuousClock.now - testClockOrigin) / .seconds(1)
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held. The twin of
/// `wait_until` in tests/kernel_env.py: a check on something that settles a moment after the
/// event the test caused, with no fixed wait that a slow machine could outlast.
@discardableResult
func waitUntil(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if condition() { return true }
        if clock.now >= deadline { return false }
        usleep(10_000)
    }
}

func send(_ child: ChildProcess, _ text: String) throws {
    try child.stdinFD.writeAll(text.utf8)
}

/// Runs a shell command in a jail built from `spec`; returns output and status.
func runInJail(_ script: String, spec: SandboxSpec? = nil, seconds: Double = 30) throws
    -> (out: String, err: String, status: ExitStatus)
{
    let child = try JailSpawner.spawn(spec: try spec ?? defaultSpec(), executable: "/bin/sh", arguments: ["-c", script])
    child.closeStdin()
    let got = collect(child, seconds: seconds)
    let status = child.wait()
    child.closeDescriptors()
    return (got.stdout, got.stderr, status)
}
