#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// A temporary directory for a test, with helpers to lay out files in it.
struct TempTree {
    let root: String

    init() {
        var template = Array("/tmp/ghcbox-test-XXXXXX".utf8CString)
        root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    /// Writes `contents` to `path` (relative to the root) in place, so that descriptors
    /// already open on it see the new contents; creates parent directories.
    func write(_ path: String, _ contents: String) {
        var dir = root
        for part in path.split(separator: "/").dropLast() {
            dir += "/" + part
            mkdir(dir, 0o755)
        }
        let fd = open(root + "/" + path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "cannot write \(path)")
        _ = contents.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }

    func read(_ path: String) -> String? {
        guard let bytes = try? readWholeFile(root + "/" + path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    func exists(_ path: String) -> Bool { access(root + "/" + path, F_OK) == 0 }

    func remove(_ path: String) { unlink(root + "/" + path) }

    /// Removes the whole tree.
    func destroy() {
        _ = system("rm -rf '\(root)'")
    }
}
