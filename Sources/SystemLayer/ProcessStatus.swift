import CSandbox
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended, or why that could not be learnt.
public enum ProcessStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)
    /// `waitpid` failed (ECHILD: not a child of this process, or reaped elsewhere).
    case unknown(Errno)

    /// Decodes a status from `waitpid`, through the C library's own macros.
    public init(waitStatus status: Int32) {
        if csb_wifexited(status) != 0 {
            self = .exited(csb_wexitstatus(status))
        } else if csb_wifsignaled(status) != 0 {
            self = .signalled(csb_wtermsig(status))
        } else {
            // Stopped or continued: reported only with WUNTRACED or WCONTINUED, never asked for.
            self = .unknown(.invalidArgument)
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signalled(let sig): return "killed by signal \(sig) (\(String(cString: strsignal(sig))))"
        case .unknown(let failure): return "ended in an unknown way (waitpid failed: \(failure))"
        }
    }
}
