import SystemLayer
import SystemPackage

/// The whole contents of a small file; a failure reads as a `read` error naming the path.
func readWholeFile(_ path: String) throws(SandboxError) -> [UInt8] {
    do {
        return try FileDescriptor.readWholeFile(at: FilePath(path))
    } catch {
        throw SandboxError(.read, errno: error.rawValue, detail: path)
    }
}
