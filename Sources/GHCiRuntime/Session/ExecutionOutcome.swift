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
    /// The cell's CPU seconds, peak memory and limit events, where the session has a cgroup.
    public var usage: CounterSample?
    /// CPU seconds the session used between the previous cell's end and this cell's start
    /// (work a cell left running, completions), where the session has a cgroup and ran a
    /// cell before (or became ready) in the same GHCi.
    public var idleCPUSeconds: Double?
    /// The budget the cell went over, if any.
    public var breach: ResourceBreach?
    /// GHCi's exception text, when the cell raised one.
    public var exceptionText: String?
    /// The chunk that ran last (where runtime-level diagnostics point).
    var lastChunk: ChunkContext?

    public init(status: Status) { self.status = status }

    public static var ok: ExecutionOutcome { ExecutionOutcome(status: .ok) }
}
