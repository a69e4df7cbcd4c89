import JSONValue

/// A comm message in either direction: its type, its content (`comm_id`, `data`, and for
/// `comm_open` the `target_name`), metadata and binary buffers.
public struct CommMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case open = "comm_open"
        case message = "comm_msg"
        case close = "comm_close"
    }

    public var type: Kind
    public var content: [String: JSON]
    public var metadata: [String: JSON]
    public var buffers: [[UInt8]]

    public init(type: Kind, content: [String: JSON], metadata: [String: JSON] = [:], buffers: [[UInt8]] = []) {
        self.type = type
        self.content = content
        self.metadata = metadata
        self.buffers = buffers
    }

    public var commID: String? { content["comm_id"]?.stringValue }

    /// For a `comm_open` nobody takes: the `comm_close` that tells the frontend not to wait.
    public var refusal: CommMessage? {
        guard type == .open, let id = commID else { return nil }
        return CommMessage(type: .close, content: ["comm_id": .string(id), "data": [:]])
    }
    public var targetName: String? { content["target_name"]?.stringValue }
}
