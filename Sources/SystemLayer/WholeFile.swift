import SystemPackage

extension FileDescriptor {
    /// The whole contents of a small file (a /proc or cgroup file, a configuration file).
    public static func readWholeFile(at path: FilePath) throws(Errno) -> [UInt8] {
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(path, .readOnly, options: .closeOnExec)
        } catch {
            throw error as? Errno ?? .ioError
        }
        defer { try? file.close() }
        var contents: [UInt8] = []
        while true {
            let chunk = try file.readAvailable()
            if chunk.isEmpty { return contents }
            contents += chunk
        }
    }
}
