import Foundation
import InterpreterAPI
import JSONValue
import JupyterWire
import Kernel
import Logging
import SystemLayer

/// The kernel core with an in-memory transport: messages in, sent messages recorded.
// Unchecked: `sent` and `shutDown` are read and written only with `condition` held.
public final class InMemoryKernel: @unchecked Sendable {
    let condition = Condition()
    public private(set) var sent: [(Channel, Message)] = []
    public internal(set) var shutDown = false
    public let core: KernelCore
    public let clientHeaders = HeaderFactory(session: "client", username: "test")

    public init(interpreter: Interpreter, queueDepth: Int = 64) {
        let box = Box()
        core = KernelCore(interpreter: interpreter, headers: HeaderFactory(session: "kernel", username: "k"),
                          logger: Logger(label: "test"), queueDepth: queueDepth,
                          send: { batch in for outgoing in batch { box.kernel?.record(outgoing.channel, outgoing.message) } },
                          onShutdown: { box.kernel?.condition.withLock { box.kernel?.shutDown = true } })
        box.kernel = self
        core.start()
    }

    // Unchecked: set once, before the core can call back.
    private final class Box: @unchecked Sendable { weak var kernel: InMemoryKernel? }

    func record(_ channel: Channel, _ message: Message) {
        condition.withLock {
            sent.append((channel, message))
            condition.broadcast()
        }
    }

    @discardableResult
    public func request(_ type: String, _ content: [String: JSON], on channel: Channel = .shell, buffers: [[UInt8]] = []) -> Message {
        let message = Message(identities: [Array("client-1".utf8)], header: clientHeaders.make(msgType: type),
                              parentHeader: .object([:]), metadata: .object([:]), content: .object(content), buffers: buffers)
        core.receive(message, on: channel)
        return message
    }

    /// Waits (up to 5 s) for a message matching `predicate`.
    public func waitFor(_ timeout: Duration = .seconds(5), _ predicate: (Channel, Message) -> Bool) -> Message? {
        let deadline = ContinuousClock.now + timeout
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let hit = sent.first(where: { predicate($0.0, $0.1) }) { return hit.1 }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    public func reply(to request: Message, timeout: Duration = .seconds(5)) -> Message? {
        waitFor(timeout) { channel, message in
            channel != .iopub && message.header.msgType.hasSuffix("_reply")
                && message.parentHeader["msg_id"]?.stringValue == request.header.msgID
        }
    }

    /// The iopub messages parented to `request`, in order.
    public func iopub(for request: Message) -> [Message] {
        condition.withLock {
            sent.filter { $0.0 == .iopub && $0.1.parentHeader["msg_id"]?.stringValue == request.header.msgID }.map(\.1)
        }
    }

    /// Every message parented to `request`, on any channel, in the order they were sent.
    public func messages(for request: Message) -> [Message] {
        condition.withLock {
            sent.filter { $0.1.parentHeader["msg_id"]?.stringValue == request.header.msgID }.map(\.1)
        }
    }

    public func waitForIdle(_ request: Message) -> Bool {
        waitFor { channel, message in
            channel == .iopub && message.header.msgType == "status"
                && message.content["execution_state"]?.stringValue == "idle"
                && message.parentHeader["msg_id"]?.stringValue == request.header.msgID
        } != nil
    }
}
