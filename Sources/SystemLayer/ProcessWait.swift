import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

extension ProcessStatus {
    /// Blocks until child `pid` ends, reaps it and returns how it ended.
    public static func waitForExit(of pid: pid_t) throws(Errno) -> ProcessStatus {
        var status: Int32 = 0
        _ = try retryingInterrupts { waitpid(pid, &status, 0) }
        return ProcessStatus(waitStatus: status)
    }

    /// Reaps child `pid` if it has ended; nil while it runs.
    public static func reapIfEnded(_ pid: pid_t) throws(Errno) -> ProcessStatus? {
        var status: Int32 = 0
        let reaped = try retryingInterrupts { waitpid(pid, &status, WNOHANG) }
        return reaped == pid ? ProcessStatus(waitStatus: status) : nil
    }
}
