import InterpreterAPI
import JSONValue
import JupyterWire

/// Comms: messages from the frontend go to the interpreter, in order with cells on the
/// shell worker; what its handlers print goes to the message's sender. The kernel sees
/// every comm opened or closed in either direction, so it answers `comm_info` itself.
extension KernelCore {
    func handleComm(_ message: Message) -> Outgoing? {
        guard let kind = CommMessage.Kind(rawValue: message.header.msgType), let content = message.content.objectValue,
              content["comm_id"]?.stringValue != nil else {
            logger.warning("comm message without a comm_id", metadata: ["msg_type": "\(message.header.msgType)"])
            return nil
        }
        let comm = CommMessage(type: kind, content: content, metadata: message.metadata.objectValue ?? [:], buffers: message.buffers)
        comms.withLock { $0.note(comm) }
        let context = ExecutionContext(
            publish: { [self] output in publishOutput(output, count: executionCount, parent: message) },
            requestInput: { _, _ in .notAllowed })
        interpreter.comm(comm, context: context)
        closeCommsOfEndedSession(parent: message)
        return nil
    }

    func handleCommInfo(_ message: Message) -> Outgoing {
        let target = message.content["target_name"]?.stringValue
        let open = comms.withLock { $0.targets }.filter { target == nil || $0.value == target }
        return answer(message, type: "comm_info_reply", content: [
            "status": "ok", "comms": .object(open.mapValues { ["target_name": .string($0)] }),
        ], on: .shell)
    }
}

extension KernelCore {
    /// Once the language's process has ended, its comms have too: each gets a `comm_close`,
    /// parented to the request during which that was seen.
    func closeCommsOfEndedSession(parent: Message) {
        let ended = comms.withLock { $0.closeAll(ifNot: interpreter.sessionGeneration) }
        guard !ended.isEmpty else { return }
        send(ended.sorted().map { event("comm_close", content: ["comm_id": .string($0), "data": [:]], parent: parent) })
    }
}

/// Open comms by id, with their target names, and the language session they live in.
struct OpenComms {
    private(set) var targets: [String: String] = [:]
    private var generation = 0

    mutating func note(_ message: CommMessage) {
        guard let id = message.commID else { return }
        switch message.type {
        case .open: targets[id] = message.targetName ?? ""
        case .close: targets[id] = nil
        case .message: break
        }
    }

    /// The comms to close when the language's session is no longer `generation`: all of them.
    mutating func closeAll(ifNot generation: Int) -> [String] {
        guard generation != self.generation else { return [] }
        self.generation = generation
        defer { targets = [:] }
        return Array(targets.keys)
    }
}
