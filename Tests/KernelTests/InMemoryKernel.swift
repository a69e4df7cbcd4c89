import JSONValue
import Foundation
import JupyterWire
@testable import Kernel
import Logging

/// A scripted interpreter: an integer expression echoes, `fail` errors, `heldfail` errors once `release()` is
/// called, `ask` reads stdin, `sleep` waits for an interrupt, `early` prints from another thread before the cell
/// is under way. Like the GHCi runtime, it says the cell is under way as it starts one.
final class FakeInterpreter: Interpreter, @unchecked Sendable {
    let info = InterpreterInfo(implementation: "fake", implementationVersion: "0", languageVersion: "9.0.2", banner: "fake")
    private let lock = NSCondition()
    private var interrupted = false
    private var released = false

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
        case "sleep":
            lock.lock()
            while !interrupted { lock.wait() }
            interrupted = false
            lock.unlock()
            return ExecuteOutcome(status: .aborted)
        default:
            context.publish(.stream(name: "stdout", text: "ran \(request.code)\n"))
            context.publish(.executeResult(data: ["text/plain": .string(request.code)]))
        }
        return ExecuteOutcome(status: .ok)
    }

    func complete(code: String, cursorPos: Int) -> CompletionResult { CompletionResult(matches: ["map", "mapM"], cursorStart: 0, cursorEnd: cursorPos) }
    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> InspectionResult? { nil }
    func isComplete(code: String) -> CompletenessResult { code.hasSuffix("do") ? .incomplete(indent: "  ") : .complete }
    func interrupt() { lock.withLock { interrupted = true; lock.broadcast() } }
    /// Lets a `heldfail` cell finish.
    func release() { lock.withLock { released = true; lock.broadcast() } }
    func shutdown(restart: Bool) { interrupt() }
}

/// The kernel core with an in-memory transport: messages in, sent messages recorded.
final class InMemoryKernel: @unchecked Sendable {
    let condition = NSCondition()
    private(set) var sent: [(Channel, Message)] = []
    var shutDown = false
    let core: KernelCore
    let clientHeaders = HeaderFactory(session: "client", username: "test")

    init(interpreter: Interpreter = FakeInterpreter(), queueDepth: Int = 64) {
        let box = Box()
        core = KernelCore(interpreter: interpreter, headers: HeaderFactory(session: "kernel", username: "k"),
                          logger: Logger(label: "test"), queueDepth: queueDepth,
                          send: { batch in for outgoing in batch { box.kernel?.record(outgoing.channel, outgoing.message) } },
                          onShutdown: { box.kernel?.condition.withLock { box.kernel?.shutDown = true } })
        box.kernel = self
        core.start()
    }

    private final class Box: @unchecked Sendable { weak var kernel: InMemoryKernel? }

    func record(_ channel: Channel, _ message: Message) {
        condition.withLock {
            sent.append((channel, message))
            condition.broadcast()
        }
    }

    @discardableResult
    func request(_ type: String, _ content: [String: JSON], on channel: Channel = .shell) -> Message {
        let message = Message(identities: [Array("client-1".utf8)], header: clientHeaders.make(msgType: type),
                              parentHeader: .object([:]), metadata: .object([:]), content: .object(content), buffers: [])
        core.receive(message, on: channel)
        return message
    }

    /// Waits (up to 5 s) for a message matching `predicate`.
    func waitFor(_ timeout: Double = 5, _ predicate: (Channel, Message) -> Bool) -> Message? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let hit = sent.first(where: { predicate($0.0, $0.1) }) { return hit.1 }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    func reply(to request: Message, timeout: Double = 5) -> Message? {
        waitFor(timeout) { channel, message in
            channel != .iopub && message.header.msgType.hasSuffix("_reply")
                && message.parentHeader["msg_id"]?.stringValue == request.header.msgID
        }
    }

    /// The iopub messages parented to `request`, in order.
    func iopub(for request: Message) -> [Message] {
        condition.withLock {
            sent.filter { $0.0 == .iopub && $0.1.parentHeader["msg_id"]?.stringValue == request.header.msgID }.map(\.1)
        }
    }

    func waitForIdle(_ request: Message) -> Bool {
        waitFor { channel, message in
            channel == .iopub && message.header.msgType == "status"
                && message.content["execution_state"]?.stringValue == "idle"
                && message.parentHeader["msg_id"]?.stringValue == request.header.msgID
        } != nil
    }
}
