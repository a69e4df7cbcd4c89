import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes headers for outgoing messages: a fresh msg_id each time, one session id per kernel start.
public struct HeaderFactory: Sendable {
    /// The messaging protocol version this layer speaks.
    public static let protocolVersion = "5.3"

    public let session: String
    public let username: String

    public init(session: String, username: String) {
        self.session = session
        self.username = username
    }

    public func make(msgType: String) -> MessageHeader {
        MessageHeader(
            msgID: UUID().uuidString.lowercased(), session: session, username: username,
            date: Self.timestamp(), msgType: msgType, version: Self.protocolVersion
        )
    }

    /// The current UTC time as ISO 8601 with microseconds, e.g. "2026-11-24T23:59:01.123456Z".
    /// Built by hand because Foundation's ISO 8601 formatter stops at milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return timestamp(seconds: now.tv_sec, microseconds: Int(now.tv_nsec / 1000))
    }

    static func timestamp(seconds: Int, microseconds: Int) -> String {
        var clock = time_t(seconds)
        var fields = tm()
        gmtime_r(&clock, &fields)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(fields.tm_year + 1900, 4) + "-" + padded(fields.tm_mon + 1, 2) + "-" + padded(fields.tm_mday, 2)
            + "T" + padded(fields.tm_hour, 2) + ":" + padded(fields.tm_min, 2) + ":" + padded(fields.tm_sec, 2)
            + "." + padded(Int32(microseconds), 6) + "Z"
    }
}
