import InterpreterAPI
import JSONValue
import Foundation
import Synchronization
import JupyterWire
import Logging

/// The kernel without its sockets: routes decoded messages by `msg_type`,
/// runs shell requests in order on one worker thread, answers control at once,
/// and hands every outgoing message to `send`. A test drives it directly.
public final class KernelCore: Sendable {
    /// Hands messages to the transport, in order; a batch leaves together.
    public typealias Send = @Sendable ([Outgoing]) -> Void

    let interpreter: Interpreter
    let headers: HeaderFactory
    let logger: Logger
    let send: Send
    let queueDepth: Int
    /// Called once a `shutdown_request` has been answered.
    let onShutdown: @Sendable () -> Void
    let queue: ShellQueue
    let input = InputBroker()
    let usage = UsageMonitor()
    /// Observes queue depth and finished cells (telemetry).
    public let observer: KernelObserver?

    /// The execution count (written by the worker, read by the I/O thread for queue-full
    /// replies) and the history (written by the worker and by output callbacks on reader threads).
    struct Record {
        var executionCount = 0
        var history = History()
    }
    let record = Mutex(Record())
    /// The comms open between the frontend and the language side, for `comm_info`.
    let comms = Mutex(OpenComms())

    var executionCount: Int { record.withLock { $0.executionCount } }

    public init(interpreter: Interpreter, headers: HeaderFactory, logger: Logger, queueDepth: Int = 64,
                observer: KernelObserver? = nil,
                send: @escaping Send, onShutdown: @escaping @Sendable () -> Void) {
        self.interpreter = interpreter
        self.headers = headers
        self.logger = logger
        self.send = send
        self.queueDepth = queueDepth
        self.onShutdown = onShutdown
        self.observer = observer
        self.queue = ShellQueue()
    }

    /// Starts the shell worker and announces `starting`.
    public func start() {
        send([status("starting", parent: nil)])
        let worker = Thread { [self] in runShellWorker() }
        worker.name = "shell-worker"
        worker.start()
    }

    /// Entry point for every decoded message.
    public func receive(_ message: Message, on channel: Channel) {
        switch channel {
        case .control: handleControl(message)
        case .shell: enqueueShell(message)
        case .stdin: handleStdin(message)
        case .iopub: break
        }
    }

    /// SIGINT to the kernel process, or an `interrupt_request`.
    public func interrupt() {
        input.cancel()
        interpreter.interrupt()
        observer?.interrupted()
    }

    // MARK: - sending

    /// A reply to `request`, to be sent by the caller.
    func answer(_ request: Message, type: String, content: [String: JSON], metadata: [String: JSON] = [:], on channel: Channel) -> Outgoing {
        Outgoing(channel, Message(identities: request.identities, header: headers.make(msgType: type),
                                  parentHeader: request.header.json, metadata: .object(metadata), content: .object(content), buffers: []))
    }

    /// Sends a message addressed to `request`'s sender at once.
    func reply(to request: Message, type: String, content: [String: JSON], on channel: Channel) {
        send([answer(request, type: type, content: content, on: channel)])
    }

    /// An iopub message, to be sent by the caller.
    func event(_ type: String, content: [String: JSON], parent: Message?, metadata: [String: JSON] = [:],
               buffers: [[UInt8]] = []) -> Outgoing {
        Outgoing(.iopub, Message(identities: [Array(type.utf8)], header: headers.make(msgType: type),
                                 parentHeader: parent?.header.json ?? .object([:]), metadata: .object(metadata),
                                 content: .object(content), buffers: buffers))
    }

    func publish(_ type: String, content: [String: JSON], parent: Message?) {
        send([event(type, content: content, parent: parent)])
    }

    func status(_ state: String, parent: Message?) -> Outgoing {
        event("status", content: ["execution_state": .string(state)], parent: parent)
    }

    /// busy, the body, idle: the frame around every request. The body returns its reply,
    /// which leaves in one batch with `idle`: a client waits for both, and a wake-up of the
    /// I/O thread between them would let it preempt the sender.
    func busy(_ request: Message, _ body: () -> Outgoing?) {
        send([status("busy", parent: request)])
        let reply = body()
        send((reply.map { [$0] } ?? []) + [status("idle", parent: request)])
    }

    /// `busy` for a cell: `busy` waits in `opening` (with `execute_input`) until the code has
    /// gone to GHCi, or something else about the cell must leave first.
    func busyCell(_ request: Message, _ body: (OpeningMessages) -> Outgoing) {
        let opening = OpeningMessages(status("busy", parent: request), send: send)
        let reply = body(opening)
        opening.flush()
        send([reply, status("idle", parent: request)])
    }

    // MARK: - control

    private func handleControl(_ message: Message) {
        var shuttingDown = false
        busy(message) {
            switch message.header.msgType {
            case "kernel_info_request":
                return answer(message, type: "kernel_info_reply", content: kernelInfo(), on: .control)
            case "usage_request":
                let content = usage.content(session: interpreter.usage(), implementation: interpreter.info.implementation)
                return answer(message, type: "usage_reply", content: content, on: .control)
            case "interrupt_request":
                interrupt()
                return answer(message, type: "interrupt_reply", content: ["status": "ok"], on: .control)
            case "shutdown_request":
                let restart = message.content["restart"]?.boolValue ?? false
                input.cancel()
                interpreter.shutdown(restart: restart)
                shuttingDown = true
                return answer(message, type: "shutdown_reply", content: ["status": "ok", "restart": .bool(restart)], on: .control)
            default:
                return answerUnknown(message, on: .control)
            }
        }
        if shuttingDown {
            // The process ends either way: with `restart`, the client's kernel manager starts a
            // fresh one (it kills a kernel that stays).
            queue.clear()
            onShutdown()
        }
    }

    private func handleStdin(_ message: Message) {
        guard message.header.msgType == "input_reply" else {
            logger.warning("unexpected message on stdin", metadata: ["msg_type": "\(message.header.msgType)"])
            return
        }
        input.deliver(message.content["value"]?.stringValue ?? "")
    }

    /// `x_request` -> `x_reply`; nil for a message that is not a request (it gets no reply).
    static func replyType(for requestType: String) -> String? {
        guard requestType.hasSuffix("_request") else { return nil }
        return String(requestType.dropLast("_request".count)) + "_reply"
    }

    func answerUnknown(_ message: Message, on channel: Channel) -> Outgoing? {
        let type = message.header.msgType
        logger.warning("unknown message type", metadata: ["msg_type": "\(type)", "channel": "\(channel)"])
        guard let replyType = Self.replyType(for: type) else { return nil }
        return answer(message, type: replyType, content: [
            "status": "error", "ename": "UnknownMessageType",
            "evalue": .string("ghcbox does not handle '\(type)'"), "traceback": [],
        ], on: channel)
    }

    /// Protocol 5.4: every message through 5.4 is served (interrupt and shutdown on control).
    /// Not 5.5, whose IOPub is an XPUB socket that greets each subscriber with
    /// `iopub_welcome`; ghcbox's is a PUB socket. 5.5's optional features, the debugger and
    /// kernel subshells, are not offered, so `supported_features` is empty (sent for clients
    /// that read it; extra fields are allowed) and the older `debugger` flag stays false.
    func kernelInfo() -> [String: JSON] {
        let info = interpreter.info
        return [
            "status": "ok",
            "protocol_version": .string(HeaderFactory.protocolVersion),
            "supported_features": [],
            "implementation": .string(info.implementation),
            "implementation_version": .string(info.implementationVersion),
            "language_info": .object(info.languageInfo),
            "banner": .string(info.banner),
            "help_links": .array(info.helpLinks.map { ["text": .string($0.text), "url": .string($0.url)] }),
            "debugger": false,
        ]
    }
}

/// What the kernel tells telemetry.
public protocol KernelObserver: Sendable {
    func queueDepthChanged(_ depth: Int)
    func interrupted()
    func queueRejected()
}
