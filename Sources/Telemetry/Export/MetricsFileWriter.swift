#if canImport(Glibc)
import Glibc
#endif
import Prometheus
import SystemPackage

/// Writes the registry's exposition to a file for node_exporter's textfile collector.
///
/// Each `write()` replaces the file atomically: the text goes to a hidden temporary file in the
/// same directory (which the collector ignores), is synced, and is renamed over the target, so a
/// reader sees the old file or the new one, never a part.
public struct MetricsFileWriter: Sendable {
    public let path: String
    public let registry: PrometheusCollectorRegistry

    public init(path: String, registry: PrometheusCollectorRegistry) {
        self.path = path
        self.registry = registry
    }

    public func write() throws(TelemetryError) {
        let (directory, file) = Self.split(path)
        let temporary = "\(directory)/.\(file).\(getpid()).\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).tmp"
        let text = registry.emitToBuffer()
        do throws(TelemetryError) {
            let fd = try TelemetryError.wrapping(.open, detail: temporary) {
                try FileDescriptor.open(
                    FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                    permissions: [.ownerReadWrite, .groupRead, .otherRead])
            }
            try TelemetryError.wrapping(.write, detail: temporary) {
                try fd.closeAfter {
                    _ = try fd.writeAll(text)
                    // swift-system has no fsync.
                    guard fsync(fd.rawValue) == 0 else {
                        throw TelemetryError(.sync, errno: Errno(rawValue: errno), detail: temporary)
                    }
                }
            }
            // Nor rename: it is one call, and atomic.
            guard rename(temporary, path) == 0 else { throw TelemetryError(.rename, errno: Errno(rawValue: errno), detail: path) }
        } catch {
            unlink(temporary)
            throw error
        }
        Self.syncDirectory(directory)
    }

    /// Makes the rename durable; a directory that cannot be synced is not an error worth failing on.
    private static func syncDirectory(_ directory: String) {
        guard let fd = try? FileDescriptor.open(FilePath(directory), .readOnly, options: [.directory, .closeOnExec]) else { return }
        _ = fsync(fd.rawValue)
        try? fd.close()
    }

    /// ("dir", "name") of a path; "." for a bare name.
    static func split(_ path: String) -> (directory: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
