import SystemPackage

extension FileDescriptor {
    /// Reads what is available, blocking until something is: an empty array means end of file.
    public func readAvailable(upTo limit: Int = 65536) throws(Errno) -> [UInt8] {
        var failure: Errno?
        // Uninitialized: zeroing 64 KiB for every read of a few bytes shows in the kernel's profile.
        let bytes = [UInt8](unsafeUninitializedCapacity: limit) { buffer, count in
            count = 0
            do {
                count = try read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error as? Errno ?? .ioError
            }
        }
        if let failure { throw failure }
        return bytes
    }
}
