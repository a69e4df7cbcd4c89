import InterpreterAPI

/// What running a cell came to: the reply's status and error, and what the runtime measured
/// and found on the way (the spec's `ExecutionOutcome`).
public struct ExecutionOutcome: Sendable {
    /// Status, and for a failure the exception type (`CompileError`, `resource-limit`,
    /// `restart-required`...), one line a reader understands, and the readable traceback.
    public var reply: ExecuteOutcome
    /// Structured records for every error and warning, in the reply's `diagnostics`.
    public var diagnostics: [Diagnostic] = []
    /// Time the cell took.
    public var duration = Duration.zero
    /// True when the session ended in this cell (it died, was replaced, or the cell said
    /// `:quit`), so earlier definitions are gone and the next cell has a fresh one.
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
    /// Set when a chunk was `:quit`: how many chunks after it were not run.
    var chunksAfterQuit: Int?

    public init(reply: ExecuteOutcome) { self.reply = reply }

    public static var ok: ExecutionOutcome { ExecutionOutcome(reply: .ok) }

    static func failure(ename: String, evalue: String) -> ExecutionOutcome {
        ExecutionOutcome(reply: .failure(ename: ename, evalue: evalue))
    }
}
