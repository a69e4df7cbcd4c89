import InterpreterAPI
import SystemLayer
import JupyterWire

/// The FIFO between the I/O thread and the shell worker.
// Unchecked: `items` is read and written only with `condition` held.
final class ShellQueue: @unchecked Sendable {
    private let condition = Condition()
    private var items: [Message] = []

    var count: Int { condition.withLock { items.count } }

    func push(_ message: Message) {
        condition.withLock {
            items.append(message)
            condition.broadcast()
        }
    }

    /// Blocks until there is a message.
    func pop() -> Message {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        return items.removeFirst()
    }

    /// Takes every queued execute request out (for `stop_on_error`), leaving the rest in order.
    func drainExecuteRequests() -> [Message] {
        condition.withLock {
            let executes = items.filter { $0.header.msgType == "execute_request" }
            items.removeAll { $0.header.msgType == "execute_request" }
            return executes
        }
    }

    func clear() { condition.withLock { items.removeAll() } }
}
