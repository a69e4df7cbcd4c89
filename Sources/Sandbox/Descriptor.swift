import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// Thin helpers over file descriptors; every EINTR retry lives in `retryingInterrupts`.
public enum Descriptor {
    /// Runs a syscall wrapper until it stops failing with EINTR.
    @inline(__always)
    public static func retryingInterrupts<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    /// A close-on-exec pipe: (read end, write end).
    public static func pipe() throws(SandboxError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let err = csb_pipe_cloexec(&fds)
        guard err == 0 else { throw SandboxError(.pipe, errno: err) }
        return (fds[0], fds[1])
    }

    /// Writes every byte, or throws (EPIPE when the reader has gone).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SandboxError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                retryingInterrupts { Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            guard n >= 0 else { throw SandboxError(.write, errno: errno) }
            offset += n
        }
    }

    /// Reads what is available (blocking until something is): an empty array means end of file.
    public static func read(_ fd: Int32, max: Int = 65536) throws(SandboxError) -> [UInt8] {
        var failure: Int32 = 0
        // Uninitialized: zeroing 64 KiB for every read of a few bytes showed in the kernel's profile.
        let bytes = [UInt8](unsafeUninitializedCapacity: max) { buffer, count in
            let n = retryingInterrupts { Glibc.read(fd, buffer.baseAddress!, max) }
            if n < 0 { failure = errno }
            count = Swift.max(n, 0)
        }
        guard failure == 0 else { throw SandboxError(.read, errno: failure) }
        return bytes
    }

    public static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// The whole contents of a (small) file.
    public static func readFile(_ path: String) throws(SandboxError) -> [UInt8] {
        let fd = retryingInterrupts { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SandboxError(.read, errno: errno, detail: path) }
        defer { close(fd) }
        var contents: [UInt8] = []
        while true {
            let chunk = try read(fd)
            if chunk.isEmpty { return contents }
            contents += chunk
        }
    }
}
