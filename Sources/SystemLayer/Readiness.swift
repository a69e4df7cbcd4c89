import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

extension FileDescriptor {
    /// Waits until the descriptor has something to read (or end of file, or an error to
    /// report), or until `timeout` passes; nil waits without a limit. Returns false on timeout.
    public func waitUntilReadable(timeout: Duration?) throws(Errno) -> Bool {
        var entry = pollfd(fd: rawValue, events: Int16(POLLIN), revents: 0)
        let milliseconds = timeout.map { Int32(clamping: $0.wholeMillisecondsRoundedUp) } ?? -1
        return try retryingInterrupts { poll(&entry, 1, milliseconds) } > 0
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a wait never ends before the span has passed;
    /// 0 for a span that has already run out.
    public var wholeMillisecondsRoundedUp: Int64 {
        guard self > .zero else { return 0 }
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return attoseconds % 1_000_000_000_000_000 > 0 ? milliseconds + 1 : milliseconds
    }
}
