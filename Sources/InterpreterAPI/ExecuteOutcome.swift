import JSONValue

/// What `execute_reply` says: the status and, for an error, what went wrong.
public struct ExecuteOutcome: Sendable {
    public enum Status: String, Sendable { case ok, error, aborted }
    public var status: Status
    /// For `error`: the exception's type, or a kernel error such as `queue-full`.
    public var ename = ""
    /// One line a reader understands.
    public var evalue = ""
    /// Readable lines (ANSI colour allowed) for the `error` output.
    public var traceback: [String] = []
    /// Extra reply content (e.g. `diagnostics`).
    public var extraContent: [String: JSON] = [:]
    /// Reply metadata (e.g. the sandbox in use).
    public var metadata: [String: JSON] = [:]

    public init(status: Status) { self.status = status }

    public static var ok: ExecuteOutcome { ExecuteOutcome(status: .ok) }

    /// An error whose traceback is its name in red and its value.
    public static func failure(ename: String, evalue: String) -> ExecuteOutcome {
        var outcome = ExecuteOutcome(status: .error)
        outcome.ename = ename
        outcome.evalue = evalue
        outcome.traceback = ["\u{1b}[0;31m\(ename)\u{1b}[0m: \(evalue)"]
        return outcome
    }

    public static func queueFullMessage(depth: Int) -> String {
        "The kernel already has \(depth) cells waiting; this one was not run. Try again when the queue drains."
    }
}
