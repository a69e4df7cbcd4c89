import InterpreterAPI
import Foundation
import JupyterWire

/// One pending `input_request` at a time: the worker waits, the I/O thread delivers the reply.
final class InputBroker: @unchecked Sendable {
    private let condition = NSCondition()
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
