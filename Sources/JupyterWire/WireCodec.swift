import Crypto

/// Turns messages into ZeroMQ frames and back, per the Jupyter wire protocol:
///
///     identities…, "<IDS|MSG>", hex HMAC, header, parent_header, metadata, content, buffers…
///
/// The HMAC-SHA256 signature covers the four JSON frames. With an empty key messages are
/// unsigned: the signature frame is sent empty and never checked.
public struct WireCodec: Sendable {
    public static let delimiter: [UInt8] = Array("<IDS|MSG>".utf8)

    /// Signature, header, parent_header, metadata, content.
    private static let requiredFramesAfterDelimiter = 5

    /// HMAC state with the key already absorbed; nil when unsigned. Crypto does not mark
    /// HMAC Sendable, but it is a value: every `sign` works on its own copy.
    nonisolated(unsafe) private let keyed: HMAC<SHA256>?

    public init(key: [UInt8]) {
        keyed = key.isEmpty ? nil : HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    public var isSigning: Bool { keyed != nil }

    public func encode(_ message: Message) -> [[UInt8]] {
        let parts = [
            message.header.json.serialized(),
            message.parentHeader.serialized(),
            message.metadata.serialized(),
            message.content.serialized(),
        ]
        var frames = message.identities
        frames.reserveCapacity(frames.count + 2 + parts.count + message.buffers.count)
        frames.append(Self.delimiter)
        frames.append(Array(sign(parts).utf8))
        frames.append(contentsOf: parts)
        frames.append(contentsOf: message.buffers)
        return frames
    }

    /// Decodes a whole multipart message. The signature is checked before any JSON is parsed,
    /// so unauthenticated bytes never reach the parser.
    public func decode(_ frames: [[UInt8]]) throws(WireError) -> Message {
        let split = try Self.split(frames)
        try verify(frames, split)
        let header = try MessageHeader(json: try Self.parse(frames[split.header], part: "header"))
        return Message(
            identities: Array(frames[..<split.delimiter]),
            header: header,
            parentHeader: try Self.parse(frames[split.header + 1], part: "parent_header"),
            metadata: try Self.parse(frames[split.header + 2], part: "metadata"),
            content: try Self.parse(frames[split.header + 3], part: "content"),
            buffers: Array(frames[(split.header + 4)...])
        )
    }

    /// For answering a message that failed to decode: the identities and header, but only
    /// when the signature is valid and the header itself parses.
    public func decodeHeaderLeniently(_ frames: [[UInt8]]) -> (identities: [[UInt8]], header: MessageHeader)? {
        guard let split = try? Self.split(frames),
              (try? verify(frames, split)) != nil,
              let json = try? JSON.parse(frames[split.header]),
              let header = try? MessageHeader(json: json)
        else { return nil }
        return (Array(frames[..<split.delimiter]), header)
    }

    /// Lowercase hex HMAC-SHA256 over the given parts in order; "" when unsigned.
    /// The parts go in as one buffer: Crypto's generic `update(data:)` is not specialized
    /// for the caller, and its per-call cost was most of signing a small message.
    public func sign(_ parts: [[UInt8]]) -> String {
        guard var hmac = keyed else { return "" }
        var joined: [UInt8] = []
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { joined.append(contentsOf: part) }
        hmac.update(data: joined)
        return hmac.finalize().withUnsafeBytes { Self.hex($0) }
    }

    // MARK: Framing

    private struct Split {
        var delimiter: Int
        var signature: Int { delimiter + 1 }
        var header: Int { delimiter + 2 }
    }

    private static func split(_ frames: [[UInt8]]) throws(WireError) -> Split {
        guard let delimiter = frames.firstIndex(of: Self.delimiter) else {
            throw WireError(.missingDelimiter, "no <IDS|MSG> frame among \(frames.count) frames")
        }
        let after = frames.count - delimiter - 1
        guard after >= requiredFramesAfterDelimiter else {
            throw WireError(.tooFewFrames, "\(after) frames after <IDS|MSG>, need at least \(requiredFramesAfterDelimiter)")
        }
        return Split(delimiter: delimiter)
    }

    private func verify(_ frames: [[UInt8]], _ split: Split) throws(WireError) {
        guard isSigning else { return }
        let received = frames[split.signature]
        guard !received.isEmpty else { throw WireError(.badSignature, "message is unsigned but a key is set") }
        let expected = Array(sign(Array(frames[split.header..<(split.header + 4)])).utf8)
        guard Self.constantTimeEqual(received, expected) else {
            throw WireError(.badSignature, "HMAC signature does not match")
        }
    }

    private static func parse(_ frame: [UInt8], part: String) throws(WireError) -> JSON {
        do {
            return try JSON.parse(frame)
        } catch {
            throw WireError(.badJSON, "\(part): \(error.detail)")
        }
    }

    // MARK: Signature helpers

    /// Compares without an early exit, so timing reveals nothing about how much of a forged
    /// signature was right. The length is public (always 64 hex digits), so it may short-circuit.
    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    private static func hex(_ digest: UnsafeRawBufferPointer) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
