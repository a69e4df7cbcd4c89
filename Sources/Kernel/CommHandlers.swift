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

/// Open comms by id, with their target names.
struct OpenComms {
    private(set) var targets: [String: String] = [:]

    mutating func note(_ message: CommMessage) {
        guard let id = message.commID else { return }
        switch message.type {
        case .open: targets[id] = message.targetName ?? ""
        case .close: targets[id] = nil
        case .message: break
        }
    }
}
