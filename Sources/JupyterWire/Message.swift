import JSONValue

/// One Jupyter message, decoded: routing identities, the four JSON parts and raw buffers.
public struct Message: Sendable {
    /// ZeroMQ routing prefixes (from a ROUTER socket); a reply must carry the request's back.
    public var identities: [[UInt8]]
    public var header: MessageHeader
    /// The header of the message this one answers; `.object([:])` when there is none.
    public var parentHeader: JSON
    public var metadata: JSON
    public var content: JSON
    public var buffers: [[UInt8]]

    public init(
        identities: [[UInt8]] = [], header: MessageHeader, parentHeader: JSON = .object([:]),
        metadata: JSON = .object([:]), content: JSON, buffers: [[UInt8]] = []
    ) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }
}
