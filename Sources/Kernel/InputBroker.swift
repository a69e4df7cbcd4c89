import InterpreterAPI
import SystemLayer
import JupyterWire

/// One pending `input_request` at a time: the worker waits, the I/O thread delivers the reply.
// Unchecked: `waiting` and `answer` are read and written only with `condition` held.
final class InputBroker: @unchecked Sendable {
    private let condition = Condition()
    private var waiting = false
    private var answer: InputResult?

    /// Arms the broker, sends the request, then blocks the calling worker until `deliver`
    /// or `cancel`. Arming first means a reply that beats the wait is not lost.
    func ask(sending request: () -> Void) -> InputResult {
        condition.withLock {
            waiting = true
            answer = nil
        }
        request()
        condition.lock()
        defer { condition.unlock() }
        while answer == nil { condition.wait() }
        waiting = false
        return answer!
    }

    /// An `input_reply` arrived; ignored if nobody waits.
    func deliver(_ text: String) { resolve(.text(text)) }

    /// An interrupt or shutdown: the waiting cell gets `.cancelled`.
    func cancel() { resolve(.cancelled) }

    private func resolve(_ result: InputResult) {
        condition.lock()
        if waiting && answer == nil {
            answer = result
            condition.broadcast()
        }
        condition.unlock()
    }
}
