import Foundation
import JupyterWire

/// One pending `input_request` at a time: the worker waits, the I/O thread delivers the reply.
final class InputBroker: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting = false
    private var answer: InputResult?

    /// Blocks the calling worker until `deliver` or `cancel`.
    func wait() -> InputResult {
        condition.lock()
        defer { condition.unlock() }
        waiting = true
        answer = nil
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
