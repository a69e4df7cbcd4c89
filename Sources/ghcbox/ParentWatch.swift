import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Ends the kernel once the process that launched it is gone, as ipykernel does.
/// jupyter_client names itself in `JPY_PARENT_PID`; a kernel whose client was
/// killed would otherwise keep its GHCi session and cgroup until the host reboots
/// (one was found still running 38 minutes after its client died).
enum ParentWatch {
    /// Watches only when `JPY_PARENT_PID` names this process's actual parent: a kernel
    /// behind a wrapper or in a container has another parent, and is left alone.
    static func start(environment: [String: String] = ProcessInfo.processInfo.environment, interval: Duration = .seconds(1),
                      logger: Logger, onGone: @escaping @Sendable () -> Void) {
        guard let named = environment["JPY_PARENT_PID"].flatMap({ pid_t($0) }), named > 1, getppid() == named else { return }
        let thread = Thread {
            while getppid() == named { Thread.sleep(forTimeInterval: interval / .seconds(1)) }
            logger.warning("the process that started the kernel is gone: shutting down", metadata: ["parent_pid": "\(named)"])
            onGone()
        }
        thread.name = "parent-watch"
        thread.start()
    }
}
