import Synchronization
import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

/// Makes headers for outgoing messages: one session id per kernel start, and msg_ids
/// "<session>_<n>" numbered from 1, the form jupyter_client gives its own. The session id
/// is a random UUID, so ids are unique across kernels without a random read per message
/// (a UUID each opened /dev/urandom: three syscalls for every message).
public struct HeaderFactory: Sendable {
    /// The messaging protocol version the kernel speaks (`KernelCore.kernelInfo` says why this one).
    public static let protocolVersion = "5.4"

    public let session: String
    public let username: String
    private let numbers = MessageNumbers()

    public init(session: String, username: String) {
        self.session = session
        self.username = username
    }

    public func make(msgType: String) -> MessageHeader {
        MessageHeader(
            msgID: "\(session)_\(numbers.next())", session: session, username: username,
            date: Self.timestamp(), msgType: msgType, version: Self.protocolVersion
        )
    }

    /// The current UTC time as ISO 8601 with microseconds, e.g. "2026-11-24T23:59:01.123456Z".
    /// Built by hand because Foundation's ISO 8601 formatter stops at milliseconds.
    static func timestamp() -> String {
        let now = WallClockTime.now()
        return timestamp(seconds: now.seconds, microseconds: now.nanoseconds / 1000)
    }

    static func timestamp(seconds: Int, microseconds: Int) -> String {
        var clock = time_t(seconds)
        var fields = tm()
        gmtime_r(&clock, &fields)
        // Digits written into a fixed template, one allocation for the whole string.
        var text = Array("0000-00-00T00:00:00.000000Z".utf8)
        func put(_ value: Int, at end: Int, width: Int) {
            var value = value
            for index in stride(from: end - 1, through: end - width, by: -1) {
                text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int(fields.tm_year) + 1900, at: 4, width: 4)
        put(Int(fields.tm_mon) + 1, at: 7, width: 2)
        put(Int(fields.tm_mday), at: 10, width: 2)
        put(Int(fields.tm_hour), at: 13, width: 2)
        put(Int(fields.tm_min), at: 16, width: 2)
        put(Int(fields.tm_sec), at: 19, width: 2)
        put(microseconds, at: 26, width: 6)
        return String(decoding: text, as: UTF8.self)
    }
}

/// A counter shared by every copy of one factory, safe from any thread.
private final class MessageNumbers: Sendable {
    private let count = Atomic<Int>(0)

    func next() -> Int { count.wrappingAdd(1, ordering: .relaxed).newValue }
}
