import Synchronization

/// A cell's first iopub messages (`busy`, then `execute_input`), held back until the cell's
/// code has gone to GHCi: encoding and signing them then overlaps GHCi's compile instead of
/// delaying it. They leave once, before anything else about the request: every path that
/// publishes for the cell (output from a reader thread, the error, the reply) flushes them
/// first, and a flush sends under the lock, so nothing can overtake them.
final class OpeningMessages: Sendable {
    private let pending: Mutex<[Outgoing]?>
    private let send: KernelCore.Send

    init(_ first: Outgoing, send: @escaping KernelCore.Send) {
        pending = Mutex([first])
        self.send = send
    }

    /// Adds a message to send with the others (before they have left).
    func add(_ message: Outgoing) {
        pending.withLock { $0?.append(message) }
    }

    /// Sends the messages if they have not left yet.
    func flush() {
        pending.withLock { pending in
            guard let messages = pending else { return }
            pending = nil
            send(messages)
        }
    }
}
