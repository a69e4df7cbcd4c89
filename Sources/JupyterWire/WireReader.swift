import JSONValue

/// What the kernel applies to every message it receives, in order, cheapest first: a size
/// limit, the framing, the signature (computed where libzmq left the frames), the replay check,
/// and only then a copy and the JSON parser. One per receiving thread: it remembers signatures.
public struct WireReader {
    /// 64 MiB: far above any cell or comm message a notebook sends, far below what hurts a host.
    public static let defaultMaxMessageBytes = 64 << 20

    public let codec: WireCodec
    public let maxMessageBytes: Int
    private var history: SignatureHistory

    public init(codec: WireCodec, maxMessageBytes: Int = Self.defaultMaxMessageBytes,
                historyCapacity: Int = SignatureHistory.defaultCapacity) {
        self.codec = codec
        self.maxMessageBytes = maxMessageBytes
        history = SignatureHistory(capacity: historyCapacity)
    }

    public mutating func read(_ received: ReceivedMessage) throws(WireError) -> Message {
        // libzmq bounds each frame; a message of many frames is bounded here.
        guard received.byteCount <= maxMessageBytes else {
            throw WireError(.tooLarge, "\(received.byteCount) bytes in \(received.count) frames, more than the \(maxMessageBytes) accepted")
        }
        return try received.withFrames { frames throws(WireError) in
            let (split, digest) = try codec.authenticate(frames)
            if let digest, !history.insert(digest) {
                throw WireError(.replayed, "signature already seen on an earlier message")
            }
            return try WireCodec.message(frames, split)
        }
    }
}
