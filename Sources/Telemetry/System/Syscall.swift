#if canImport(Glibc)
import Glibc
#endif

/// The one place telemetry calls into libc for descriptors: EINTR retries live here.
enum Syscall {
    /// Runs a syscall wrapper until it stops failing with EINTR.
    @inline(__always)
    static func retryingInterrupts<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    /// Writes every byte with as few `write` calls as the kernel allows (one, normally).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], code: TelemetryError.Code = .write) throws(TelemetryError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                retryingInterrupts { Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            guard n >= 0 else { throw TelemetryError(code, errno: errno) }
            offset += n
        }
    }

    /// Sends every byte on a socket without raising SIGPIPE when the peer has gone.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(TelemetryError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                retryingInterrupts { send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL)) }
            }
            guard n >= 0 else { throw TelemetryError(.write, errno: errno) }
            offset += n
        }
    }

    /// Waits until `fd` has one of `events`, or `milliseconds` pass: the returned events, or 0 on timeout.
    static func poll(_ fd: Int32, events: Int16, milliseconds: Int32) -> Int16 {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let n = retryingInterrupts { Glibc.poll(&entry, 1, milliseconds) }
        return n > 0 ? entry.revents : 0
    }

    static func close(_ fd: Int32) {
        // A close interrupted by a signal has still released the descriptor on Linux: never retry.
        _ = Glibc.close(fd)
    }

    /// Milliseconds on the monotonic clock.
    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
