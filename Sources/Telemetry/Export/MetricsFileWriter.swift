#if canImport(Glibc)
import Glibc
#endif

/// Writes the registry's exposition to a file for node_exporter's textfile collector.
///
/// Each `write()` replaces the file atomically: the text goes to a hidden temporary file in the
/// same directory (which the collector ignores), is synced, and is renamed over the target, so a
/// reader sees the old file or the new one, never a part.
public struct MetricsFileWriter: Sendable {
    public let path: String
    public let registry: PrometheusRegistry

    public init(path: String, registry: PrometheusRegistry) {
        self.path = path
        self.registry = registry
    }

    public func write() throws(TelemetryError) {
        let (directory, file) = Self.split(path)
        let temporary = "\(directory)/.\(file).\(getpid()).\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).tmp"
        let fd = Syscall.retryingInterrupts {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o644))
        }
        guard fd >= 0 else { throw TelemetryError(.open, errno: errno, detail: temporary) }
        do throws(TelemetryError) {
            defer { Syscall.close(fd) }
            try Syscall.writeAll(fd, Array(registry.render().utf8))
            guard Syscall.retryingInterrupts({ fsync(fd) }) == 0 else {
                throw TelemetryError(.sync, errno: errno, detail: temporary)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let failure = TelemetryError(.rename, errno: errno, detail: path)
            unlink(temporary)
            throw failure
        }
        Self.syncDirectory(directory)
    }

    /// Makes the rename durable; a directory that cannot be synced is not an error worth failing on.
    private static func syncDirectory(_ directory: String) {
        let fd = Syscall.retryingInterrupts { open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { return }
        _ = Syscall.retryingInterrupts { fsync(fd) }
        Syscall.close(fd)
    }

    /// ("dir", "name") of a path; "." for a bare name.
    static func split(_ path: String) -> (directory: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
