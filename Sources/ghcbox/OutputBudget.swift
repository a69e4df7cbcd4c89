import Foundation
import GHCiRuntime

/// How much one cell may send to the notebook. Past the budget the cell goes on, but its
/// output is dropped after one notice on stderr, so a flood cannot fill the kernel's
/// queues or the client. Called from the runtime's reader threads.
final class OutputBudget: @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var sent = 0
    private var dropped = 0

    init(bytes: Int) { limit = bytes }

    /// What may go out of `output`: all of it, nothing, or (once) the notice that the rest is dropped.
    func admit(_ output: RuntimeOutput) -> RuntimeOutput? {
        let size = output.text.utf8.count
        return lock.withLock {
            if dropped == 0 && sent + size <= limit {
                sent += size
                return output
            }
            let first = dropped == 0
            dropped += size
            guard first else { return nil }
            return .stderr("\n[ghcbox] output limit reached: this cell printed more than \(limit >> 20) MB; "
                           + "the rest of its output is dropped (GHCBOX_OUTPUT_MB).\n")
        }
    }

    /// Bytes of output dropped so far.
    var droppedBytes: Int { lock.withLock { dropped } }
}

extension RuntimeOutput {
    var text: String {
        switch self {
        case .stdout(let text), .stderr(let text), .result(let text): text
        }
    }
}
