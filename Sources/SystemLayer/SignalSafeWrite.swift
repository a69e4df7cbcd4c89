import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

extension FileDescriptor {
    /// Writes one byte with a single `write`: no retry, no thrown error, no allocation, so a
    /// signal handler may call it. A byte that does not fit (a full non-blocking pipe) is
    /// dropped; the reader has bytes waiting already.
    public func writeByteFromSignalHandler(_ byte: UInt8) {
        var byte = byte
        _ = Glibc.write(rawValue, &byte, 1)
    }
}
