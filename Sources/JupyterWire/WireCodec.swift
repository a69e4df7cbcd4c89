import JSONValue
import Crypto
import Foundation

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
        try decode(ReceivedMessage(frames: frames))
    }

    /// Decodes a message in libzmq's buffers; only an authenticated message is copied out.
    public func decode(_ received: ReceivedMessage) throws(WireError) -> Message {
        try received.withFrames { frames throws(WireError) in
            let split = try authenticate(frames).split
            return try Self.message(frames, split)
        }
    }

    /// For answering a message that failed to decode: the identities and header, but only
    /// when the signature is valid and the header itself parses.
    public func decodeHeaderLeniently(_ frames: [[UInt8]]) -> (identities: [[UInt8]], header: MessageHeader)? {
        decodeHeaderLeniently(ReceivedMessage(frames: frames))
    }

    public func decodeHeaderLeniently(_ received: ReceivedMessage) -> (identities: [[UInt8]], header: MessageHeader)? {
        received.withFrames { frames in
            guard let split = try? authenticate(frames).split,
                  let json = try? JSON.parse(frames[split.header]),
                  let header = try? MessageHeader(json: json)
            else { return nil }
            return (frames[..<split.delimiter].map { Array($0) }, header)
        }
    }

    /// Checks the framing and the signature where the frames lie. Returns where the message's
    /// parts are and, when signing, the verified MAC (what a replay would repeat).
    func authenticate(_ frames: [UnsafeRawBufferPointer]) throws(WireError) -> (split: Split, digest: SignatureHistory.Digest?) {
        let split = try Self.split(frames)
        guard let keyed else { return (split, nil) }
        let received = frames[split.signature]
        guard !received.isEmpty else { throw WireError(.badSignature, "message is unsigned but a key is set") }
        let code = Self.authenticationCode(keyed, Array(frames[split.header..<(split.header + 4)]))
        let (matches, digest) = code.withUnsafeBytes { mac in
            (Self.constantTimeEqual(received, Self.hexDigits(mac)), SignatureHistory.Digest(mac))
        }
        guard matches else { throw WireError(.badSignature, "HMAC signature does not match") }
        return (split, digest)
    }

    /// The message in authenticated frames: the JSON parts parsed, identities and buffers copied.
    static func message(_ frames: [UnsafeRawBufferPointer], _ split: Split) throws(WireError) -> Message {
        let header = try MessageHeader(json: try parse(frames[split.header], part: "header"))
        return Message(
            identities: frames[..<split.delimiter].map { Array($0) },
            header: header,
            parentHeader: try parse(frames[split.header + 1], part: "parent_header"),
            metadata: try parse(frames[split.header + 2], part: "metadata"),
            content: try parse(frames[split.header + 3], part: "content"),
            buffers: frames[(split.header + 4)...].map { Array($0) }
        )
    }

    /// Lowercase hex HMAC-SHA256 over the given parts in order; "" when unsigned.
    public func sign(_ parts: [[UInt8]]) -> String {
        guard let keyed else { return "" }
        return Self.authenticationCode(keyed, parts).withUnsafeBytes { String(decoding: Self.hexDigits($0), as: UTF8.self) }
    }

    /// Parts up to this total size go to the HMAC as one joined copy: Crypto's generic
    /// `update(data:)` is not specialized for the caller, and its per-call cost was most of
    /// signing a small message. Larger parts go in one by one, from where they lie.
    private static let joinedInputLimit = 16 << 10

    private static func authenticationCode<Part: DataProtocol & ContiguousBytes>(_ keyed: HMAC<SHA256>, _ parts: [Part]) -> HashedAuthenticationCode<SHA256> {
        var hmac = keyed
        let total = parts.reduce(0) { $0 + $1.count }
        if total <= joinedInputLimit {
            var joined: [UInt8] = []
            joined.reserveCapacity(total)
            for part in parts { part.withUnsafeBytes { joined.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) } }
            hmac.update(data: joined)
        } else {
            for part in parts { hmac.update(data: part) }
        }
        return hmac.finalize()
    }

    // MARK: Framing

    struct Split {
        var delimiter: Int
        var signature: Int { delimiter + 1 }
        var header: Int { delimiter + 2 }
    }

    private static func split(_ frames: [UnsafeRawBufferPointer]) throws(WireError) -> Split {
        guard let delimiter = frames.firstIndex(where: { $0.elementsEqual(Self.delimiter) }) else {
            throw WireError(.missingDelimiter, "no <IDS|MSG> frame among \(frames.count) frames")
        }
        let after = frames.count - delimiter - 1
        guard after >= requiredFramesAfterDelimiter else {
            throw WireError(.tooFewFrames, "\(after) frames after <IDS|MSG>, need at least \(requiredFramesAfterDelimiter)")
        }
        return Split(delimiter: delimiter)
    }

    private static func parse(_ frame: UnsafeRawBufferPointer, part: String) throws(WireError) -> JSON {
        do {
            return try JSON.parse(frame.assumingMemoryBound(to: UInt8.self))
        } catch {
            throw WireError(.badJSON, "\(part): \(error.detail)")
        }
    }

    // MARK: Signature helpers

    /// Compares without an early exit, so timing reveals nothing about how much of a forged
    /// signature was right. The length is public (always 64 hex digits), so it may short-circuit.
    private static func constantTimeEqual(_ lhs: UnsafeRawBufferPointer, _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in rhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    private static func hexDigits(_ digest: UnsafeRawBufferPointer) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
