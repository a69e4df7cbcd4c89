import Foundation
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing the files a command is given, failing with the path and the system's
/// reason ("No such file or directory").
enum FileAccess {
    static func read(_ path: String, what: String = "") throws(CommandFailure) -> [UInt8] {
        do {
            return try FileDescriptor.readWholeFile(at: FilePath(path))
        } catch {
            throw CommandFailure("cannot read \(what.isEmpty ? "" : what + " ")\(path): \(error)")
        }
    }

    /// Replaces `path`'s contents with `bytes`, creating it (mode 0644) if needed.
    static func write(_ bytes: [UInt8], to path: String) throws(CommandFailure) {
        do {
            let file = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .truncate, .closeOnExec],
                                               permissions: [.ownerReadWrite, .groupRead, .otherRead])
            try file.closeAfter { _ = try file.writeAll(bytes) }
        } catch {
            throw CommandFailure("cannot write \(path): \(reason(error))")
        }
    }

    /// `path` and the folders above it, as `mkdir -p`; a failure names the folder that could not be made.
    static func makeDirectory(_ path: String) throws(CommandFailure) {
        var folder = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            folder += "/" + part
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw CommandFailure("cannot create \(folder): \(Errno(rawValue: errno))")
            }
        }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
            throw CommandFailure("cannot create \(path): \(Errno.notDirectory)")
        }
    }

    /// Copies `source` over `destination`.
    static func copy(_ source: String, to destination: String) throws(CommandFailure) {
        try write(try read(source), to: destination)
    }

    /// The system's words for a failure of a swift-system call.
    private static func reason(_ error: Error) -> String {
        (error as? Errno).map { "\($0)" } ?? "\(error)"
    }
}
