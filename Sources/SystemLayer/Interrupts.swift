import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Runs a system call that swift-system does not wrap (waitpid, poll, openat) until it stops
/// failing with EINTR, and throws its errno when it fails otherwise. The calls swift-system
/// wraps retry through their own `retryOnInterrupt`.
@inline(__always)
public func retryingInterrupts<T: FixedWidthInteger>(_ call: () -> T) throws(Errno) -> T {
    while true {
        let result = call()
        guard result == -1 else { return result }
        let failure = Errno(rawValue: errno)
        if failure != .interrupted { throw failure }
    }
}
