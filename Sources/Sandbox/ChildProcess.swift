#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// How a child process ended.
public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    public var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signalled(let sig): return "killed by signal \(sig) (\(String(cString: strsignal(sig))))"
        }
    }
}

/// A started child (plain or jailed) and the parent's ends of its pipes.
/// Reaping happens once; signals after that are ignored so a recycled pid is never hit.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// Parent's write end of the child's stdin (-1 if none).
    public let stdinFD: Int32
    /// Parent's read ends of the child's stdout and stderr.
    public let stdoutFD: Int32
    public let stderrFD: Int32
    /// Parent's write end of the child's descriptor 3 (-1 if none).
    public let commandFD: Int32
    /// A jailed child's root directory (an O_PATH descriptor), the way to its files from the
    /// host; -1 for a child without a jail.
    public let rootFD: Int32
    private let exit = Mutex<ExitStatus?>(nil)
    /// Descriptors already closed: each is closed once, so a number reused by another
    /// thread's descriptor is never closed by mistake.
    private let closed = Mutex<Set<Int32>>([])

    public init(pid: pid_t, stdinFD: Int32, stdoutFD: Int32, stderrFD: Int32, commandFD: Int32, rootFD: Int32 = -1) {
        self.pid = pid
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
        self.commandFD = commandFD
        self.rootFD = rootFD
    }

    /// Sends a signal unless the child has been reaped already.
    public func signal(_ sig: Int32) {
        exit.withLock { status in
            if status == nil { _ = Glibc.kill(pid, sig) }
        }
    }

    /// The exit status if the child has been reaped.
    public var exitStatus: ExitStatus? { exit.withLock { $0 } }

    /// Blocks until the child ends and returns how. Safe to call from several threads.
    @discardableResult
    public func wait() -> ExitStatus {
        if let done = exitStatus { return done }
        var status: Int32 = 0
        let r = Descriptor.retryingInterrupts { waitpid(pid, &status, 0) }
        return exit.withLock { saved in
            if let done = saved { return done }
            let result: ExitStatus
            if r == -1 {
                result = .exited(-1)
            } else if (status & 0x7f) == 0 {
                result = .exited((status >> 8) & 0xff)
            } else {
                result = .signalled(status & 0x7f)
            }
            saved = result
            return result
        }
    }

    /// Non-blocking check: reaps the child if it has ended.
    public func poll() -> ExitStatus? {
        if let done = exitStatus { return done }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return nil }
        return exit.withLock { saved in
            let result: ExitStatus = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
            saved = result
            return result
        }
    }

    /// Closes the child's stdin (it reads end-of-file). Idempotent.
    public func closeStdin() {
        close([stdinFD])
    }

    /// Closes the parent's pipe ends and the root descriptor. Call after the child is gone. Idempotent.
    public func closeDescriptors() {
        close([stdinFD, stdoutFD, stderrFD, commandFD, rootFD])
    }

    private func close(_ fds: [Int32]) {
        closed.withLock { done in
            for fd in fds where fd >= 0 && !done.contains(fd) {
                Descriptor.close(fd)
                done.insert(fd)
            }
        }
    }
}
