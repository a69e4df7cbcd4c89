import InterpreterAPI
import JSONValue
import Synchronization

/// How much one cell may send to the notebook. Past the budget the cell goes on, but its
/// output is dropped after one notice on stderr, so a flood cannot fill the kernel's
/// queues or the client. Called from the runtime's reader threads.
final class OutputBudget: Sendable {
    private struct Tally {
        var sent = 0
        var dropped = 0
    }

    private let limit: Int
    private let tally = Mutex(Tally())

    init(bytes: Int) { limit = bytes }

    /// What may go out of `output`: all of it, nothing, or (once) the notice that the rest is dropped.
    func admit(_ output: KernelOutput) -> KernelOutput? {
        let size = output.textBytes
        return tally.withLock { tally in
            if tally.dropped == 0 && tally.sent + size <= limit {
                tally.sent += size
                return output
            }
            let first = tally.dropped == 0
            tally.dropped += size
            guard first else { return nil }
            return .stream(name: "stderr", text: "\n[ghcbox] output limit reached: this cell printed more than \(limit >> 20) MB; "
                           + "the rest of its output is dropped (GHCBOX_OUTPUT_MB).\n")
        }
    }

    /// `context` with its output passed through this budget.
    func limiting(_ context: ExecutionContext) -> ExecutionContext {
        ExecutionContext(publish: { [self] output in if let admitted = admit(output) { context.publish(admitted) } },
                         requestInput: context.requestInput, underway: context.underway)
    }

    /// Bytes of output dropped so far.
    var droppedBytes: Int { tally.withLock { $0.dropped } }
}

extension KernelOutput {
    /// The size that counts against the budget: the text a reader sees.
    var textBytes: Int {
        switch self {
        case .stream(_, let text): text.utf8.count
        case .executeResult(let data, _), .displayData(let data, _, _), .updateDisplayData(let data, _, _):
            data.values.reduce(0) { $0 + ($1.stringValue?.utf8.count ?? $1.serialized().count) }
        case .error(_, let evalue, let traceback): evalue.utf8.count + traceback.reduce(0) { $0 + $1.utf8.count }
        case .clearOutput: 0
        case .comm(let message): message.buffers.reduce(JSON.object(message.content).serialized().count) { $0 + $1.count }
        }
    }
}
