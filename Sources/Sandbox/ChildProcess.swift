import Synchronization
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended (see `ProcessStatus`).
public typealias ExitStatus = ProcessStatus

/// A started child (plain or jailed) and the parent's ends of its pipes.
/// Reaping happens once; signals after that are ignored so a recycled pid is never hit.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// Parent's write end of the child's stdin.
    public let stdinFD: FileDescriptor
    /// Parent's read ends of the child's stdout and stderr.
    public let stdoutFD: FileDescriptor
    public let stderrFD: FileDescriptor
    /// Parent's write end of the child's descriptor 3.
    public let commandFD: FileDescriptor
    /// A jailed child's root directory (an O_PATH descriptor), the way to its files from the
    /// host; nil for a child without a jail.
    public let rootFD: FileDescriptor?
    private let exit = Mutex<ProcessStatus?>(nil)
    /// Descriptors already closed: each is closed once, so a number reused by another
    /// thread's descriptor is never closed by mistake.
    private let closed = Mutex<Set<FileDescriptor>>([])

    public init(pid: pid_t, stdinFD: FileDescriptor, stdoutFD: FileDescriptor, stderrFD: FileDescriptor,
                commandFD: FileDescriptor, rootFD: FileDescriptor? = nil) {
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
    public var exitStatus: ProcessStatus? { exit.withLock { $0 } }

    /// Blocks until the child ends and returns how. Safe to call from several threads.
    @discardableResult
    public func wait() -> ProcessStatus {
        if let done = exitStatus { return done }
        let result: ProcessStatus
        do {
            result = try ProcessStatus.waitForExit(of: pid)
        } catch {
            result = .unknown(error)
        }
        return exit.withLock { saved in
            // Another thread's wait may have reaped it first; its answer stands.
            if let done = saved { return done }
            saved = result
            return result
        }
    }

    /// Non-blocking check: reaps the child if it has ended.
    public func poll() -> ProcessStatus? {
        if let done = exitStatus { return done }
        guard let result = try? ProcessStatus.reapIfEnded(pid) else { return nil }
        return exit.withLock { saved in
            if let done = saved { return done }
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
        close([stdinFD, stdoutFD, stderrFD, commandFD] + (rootFD.map { [$0] } ?? []))
    }

    private func close(_ fds: [FileDescriptor]) {
        closed.withLock { done in
            for fd in fds where !done.contains(fd) {
                try? fd.close()
                done.insert(fd)
            }
        }
    }
}
