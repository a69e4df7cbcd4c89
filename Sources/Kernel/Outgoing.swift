import JupyterWire

/// A message on its way out, and the socket it leaves on.
public struct Outgoing: Sendable {
    public let channel: Channel
    public let message: Message

    public init(_ channel: Channel, _ message: Message) {
        self.channel = channel
        self.message = message
    }
}
