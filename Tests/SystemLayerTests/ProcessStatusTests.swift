import Foundation
import Testing
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Starts `/bin/sh -c script` as a child of this process; returns its pid.
private func spawnShell(_ script: String) throws -> pid_t {
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(script), nil]
    defer { argv.forEach { free($0) } }
    let err = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
    guard err == 0 else { throw Errno(rawValue: err) }
    return pid
}

@Suite struct ProcessStatusTests {
    @Test func aNormalExitGivesItsCode() throws {
        let pid = try spawnShell("exit 7")
        #expect(try ProcessStatus.waitForExit(of: pid) == .exited(7))
    }

    @Test func aKilledChildGivesTheSignal() throws {
        let pid = try spawnShell("exec sleep 60")
        kill(pid, SIGKILL)
        #expect(try ProcessStatus.waitForExit(of: pid) == .signalled(SIGKILL))
    }

    @Test func waitingForANonChildIsAnErrorNotAnExit() {
        // pid 1 is never a child of the test process.
        #expect(throws: Errno.noChildProcess) { try ProcessStatus.waitForExit(of: 1) }
        #expect(throws: Errno.noChildProcess) { try ProcessStatus.reapIfEnded(1) }
    }

    @Test func reapingARunningChildGivesNothingUntilItEnds() throws {
        let pid = try spawnShell("exec sleep 60")
        #expect(try ProcessStatus.reapIfEnded(pid) == nil)
        kill(pid, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(10)
        var status: ProcessStatus?
        while status == nil && ContinuousClock.now < deadline {
            status = try ProcessStatus.reapIfEnded(pid)
            if status == nil { usleep(1_000) }
        }
        #expect(status == .signalled(SIGKILL))
    }

    @Test func statusesDecodeThroughTheCMacros() {
        #expect(ProcessStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(ProcessStatus(waitStatus: SIGSEGV) == .signalled(SIGSEGV))
        #expect(ProcessStatus(waitStatus: SIGSEGV | 0x80) == .signalled(SIGSEGV))  // core dumped
    }

    @Test func descriptionsSayWhatHappened() {
        #expect(ProcessStatus.exited(0).description == "exited with status 0")
        #expect(ProcessStatus.signalled(SIGKILL).description.hasPrefix("killed by signal 9"))
        #expect(ProcessStatus.unknown(.noChildProcess).description.contains("waitpid failed"))
    }
}
