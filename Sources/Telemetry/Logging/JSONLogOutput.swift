#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where JSON log lines go: a file descriptor written with one `write` per line, under a lock
/// so lines from different threads never interleave.
public final class JSONLogOutput: Sendable {
    /// Standard error, never closed.
    public static let standardError = JSONLogOutput(fileDescriptor: STDERR_FILENO, owned: false)

    private let descriptor: Mutex<Int32>
    private let owned: Bool

    /// Writes to `fileDescriptor`; with `owned`, closes it when the output goes away.
    public init(fileDescriptor: Int32, owned: Bool = false) {
        self.descriptor = Mutex(fileDescriptor)
        self.owned = owned
    }

    /// Opens (creating, mode 0644) `path` for appending, as for `--log-file`.
    public convenience init(appendingTo path: String) throws(TelemetryError) {
        let fd = Syscall.retryingInterrupts { open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_t(0o644)) }
        guard fd >= 0 else { throw TelemetryError(.open, errno: errno, detail: path) }
        self.init(fileDescriptor: fd, owned: true)
    }

    deinit {
        if owned { Syscall.close(descriptor.withLock { $0 }) }
    }

    /// Writes `line` (which ends in a newline). A log that cannot be written is dropped: logging
    /// must never take the kernel down.
    func write(_ line: [UInt8]) {
        descriptor.withLock { fd in
            _ = try? Syscall.writeAll(fd, line)
        }
    }
}
