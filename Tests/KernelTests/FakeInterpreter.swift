import JSONValue
import Foundation
import InterpreterAPI
import JupyterWire
@testable import Kernel
import Logging

/// A scripted interpreter: an integer expression echoes, `fail` errors, `heldfail` errors once `release()` is
/// called, `ask` reads stdin, `sleep` waits for an interrupt, `early` prints from another thread before the cell
/// is under way, `widget` opens comm `w1` and shows it, `shown` displays, updates and clears, `replace` ends the
/// session (as a comm message with data `replace` does). Like the GHCi runtime, it says the cell is under way as it
/// starts one. Comms to the target `echo` are kept and echo every message with its buffers; others are refused.
final class FakeInterpreter: Interpreter, @unchecked Sendable {
    let info = InterpreterInfo(implementation: "fake", implementationVersion: "0", languageInfo: ["name": "fake", "version": "9.0.2"],
                               banner: "fake", helpLinks: [("Fake docs", "https://example.org/")])
    private let lock = NSCondition()
    private var interrupted = false
    private var released = false
    private var generation = 0
    var sessionGeneration: Int { lock.withLock { generation } }

    func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome {
        if request.code == "early" {
            let printed = DispatchSemaphore(value: 0)
            Thread { context.publish(.stream(name: "stdout", text: "early\n")); printed.signal() }.start()
            printed.wait()
        }
        context.underway()
        switch request.code {
        case "fail", "heldfail":
            if request.code == "heldfail" {
                lock.lock()
                while !released { lock.wait() }
                lock.unlock()
            }
            var outcome = ExecuteOutcome(status: .error)
            outcome.ename = "CompileError"
            outcome.evalue = "bad"
            return outcome
        case "ask":
            switch context.requestInput("name? ", false) {
            case .text(let t): context.publish(.stream(name: "stdout", text: "hello \(t)\n"))
            case .notAllowed: return ExecuteOutcome(status: .error)
            case .cancelled: return ExecuteOutcome(status: .aborted)
            }
        case "replace":
            lock.withLock { generation += 1 }
        case "sleep":
            lock.lock()
            while !interrupted { lock.wait() }
            interrupted = false
            lock.unlock()
            var outcome = ExecuteOutcome(status: .aborted)
            outcome.ename = "Interrupted"
            outcome.evalue = "Interrupted: the cell was stopped."
            outcome.traceback = ["Interrupted: the cell was stopped."]
            return outcome
        case "widget":
            context.publish(.comm(CommMessage(type: .open, content: ["comm_id": "w1", "target_name": "jupyter.widget", "data": [:]],
                                              metadata: ["version": "2.1.0"])))
            context.publish(.displayData(data: ["text/plain": "w"], transient: [:]))
        case "shown":
            context.publish(.displayData(data: ["text/html": "<b>1</b>", "text/plain": "1"], transient: ["display_id": "d"]))
            context.publish(.updateDisplayData(data: ["text/plain": "2"], metadata: [:], transient: ["display_id": "d"]))
            context.publish(.clearOutput(wait: true))
        default:
            context.publish(.stream(name: "stdout", text: "ran \(request.code)\n"))
            context.publish(.executeResult(data: ["text/plain": .string(request.code)]))
        }
        return ExecuteOutcome(status: .ok)
    }

    func comm(_ message: CommMessage, context: ExecutionContext) {
        if message.content["data"]?.stringValue == "replace" {
            lock.withLock { generation += 1 }
            return
        }
        if message.type == .open && message.targetName != "echo" {
            if let refusal = message.refusal { context.publish(.comm(refusal)) }
        } else if message.type == .message {
            context.publish(.comm(CommMessage(type: .message, content: message.content, buffers: message.buffers)))
            context.publish(.stream(name: "stdout", text: "handled\n"))
        }
    }

    func complete(code: String, cursorPos: Int) -> CompletionResult { CompletionResult(matches: ["map", "mapM"], cursorStart: 0, cursorEnd: cursorPos) }
    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> InspectionResult? { nil }
    func isComplete(code: String) -> CompletenessResult { code.hasSuffix("do") ? .incomplete(indent: "  ") : .complete }
    func interrupt() { lock.withLock { interrupted = true; lock.broadcast() } }
    /// Lets a `heldfail` cell finish.
    func release() { lock.withLock { released = true; lock.broadcast() } }
    func shutdown(restart: Bool) { interrupt() }
    func usage() -> SessionUsage { SessionUsage(cpuSeconds: 0, memoryBytes: 1 << 20, details: ["budgets": ["pids": 256]]) }
}
