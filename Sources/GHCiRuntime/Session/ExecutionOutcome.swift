/// What running a cell came to: the spec's `ExecutionOutcome`.
public struct ExecutionOutcome: Sendable {
    public enum Status: String, Sendable { case ok, error, aborted }

    public var status: Status
    /// For `error`: the exception type, `CompileError`, `resource-limit`, `restart-required`...
    public var ename = ""
    /// One line a reader understands.
    public var evalue = ""
    /// Readable lines (with ANSI colour) for the `error` message.
    public var traceback: [String] = []
    /// Structured records for every error and warning, in the reply's `diagnostics`.
    public var diagnostics: [Diagnostic] = []
    /// Seconds the cell took.
    public var duration = 0.0
    /// True when the session had to be replaced, so earlier definitions are gone.
    public var sessionRestarted = false

    public init(status: Status) { self.status = status }

    public static var ok: ExecutionOutcome { ExecutionOutcome(status: .ok) }
}
