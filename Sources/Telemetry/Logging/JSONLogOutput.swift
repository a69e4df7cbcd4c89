import Synchronization
import SystemPackage

/// Where JSON log lines go: a file descriptor written with one `write` per line, under a lock
/// so lines from different threads never interleave.
public final class JSONLogOutput: Sendable {
    /// Standard error, never closed.
    public static let standardError = JSONLogOutput(descriptor: .standardError, owned: false)

    /// The lock is the point: it holds one line's writes together.
    private let descriptor: Mutex<FileDescriptor>
    private let owned: Bool

    /// Writes to `descriptor`; with `owned`, closes it when the output goes away.
    public init(descriptor: FileDescriptor, owned: Bool = false) {
        self.descriptor = Mutex(descriptor)
        self.owned = owned
    }

    /// Opens (creating, mode 0644) `path` for appending, as for `--log-file`.
    public convenience init(appendingTo path: String) throws(TelemetryError) {
        let fd = try TelemetryError.wrapping(.open, detail: path) {
            try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.append, .create, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        }
        self.init(descriptor: fd, owned: true)
    }

    deinit {
        if owned { try? descriptor.withLock { $0 }.close() }
    }

    /// Writes `line` (which ends in a newline). A log that cannot be written is dropped: logging
    /// must never take the kernel down.
    func write(_ line: [UInt8]) {
        descriptor.withLock { fd in
            _ = try? fd.writeAll(line)
        }
    }
}
