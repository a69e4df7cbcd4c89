/// The signatures of the most recent authenticated messages, so a captured message sent again is
/// refused, as jupyter_client's `Session` refuses a digest in its `digest_history`.
///
/// jupyter_client remembers 2^16 digests and, past that, forgets a random tenth of them; this
/// forgets the oldest one instead, so the latest `capacity` signatures are always remembered.
/// Only signatures that verified are recorded, so forgeries cannot push genuine ones out.
public struct SignatureHistory: Sendable {
    /// jupyter_client's default `digest_history_size`.
    public static let defaultCapacity = 1 << 16

    /// An HMAC-SHA256 value: 32 bytes as four words, hashed and compared as a value.
    public struct Digest: Hashable, Sendable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        public init(_ bytes: UnsafeRawBufferPointer) {
            precondition(bytes.count == 32, "an HMAC-SHA256 value is 32 bytes")
            words = (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                     bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        }

        public static func == (lhs: Digest, rhs: Digest) -> Bool { lhs.words == rhs.words }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
            hasher.combine(words.3)
        }
    }

    public let capacity: Int
    private var seen: Set<Digest> = []
    /// Insertion order, used as a ring once full; `oldest` is the next slot to overwrite.
    private var order: [Digest] = []
    private var oldest = 0

    public init(capacity: Int = Self.defaultCapacity) {
        precondition(capacity > 0, "a history remembers at least one signature")
        self.capacity = capacity
    }

    public var count: Int { seen.count }

    /// Records `digest`; false when it is already remembered (a replay), and then nothing changes.
    public mutating func insert(_ digest: Digest) -> Bool {
        guard seen.insert(digest).inserted else { return false }
        if order.count < capacity {
            order.append(digest)
        } else {
            seen.remove(order[oldest])
            order[oldest] = digest
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}
