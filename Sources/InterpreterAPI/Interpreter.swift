/// The seam between the protocol and the language: the kernel calls these,
/// the interpreter publishes what a cell produces through `ExecutionContext`.
/// `execute`, `complete`, `inspect` and `isComplete` run on the shell worker thread,
/// one at a time; `interrupt`, `shutdown` and `usage` come from control, `queueFull` from the
/// thread that reads requests.
public protocol Interpreter: AnyObject, Sendable {
    var info: InterpreterInfo { get }
    func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome
    /// Work after a cell that must end before the next one but need not hold up its
    /// reply (wiping the jail's scratch): called once `idle` is out.
    func finishCell()
    func complete(code: String, cursorPos: Int) -> CompletionResult
    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> InspectionResult?
    func isComplete(code: String) -> CompletenessResult
    /// A comm message from the frontend. What handlers send or print goes to `context`.
    func comm(_ message: CommMessage, context: ExecutionContext)
    /// Counts the ends of the language's process (replaced after a cell or handler that would
    /// not stop, or quit). Comms live in that process: when the count moves, the kernel closes
    /// the comms it had open, so frontends drop widgets that nothing answers any more.
    var sessionGeneration: Int { get }
    /// The reply to a cell the kernel did not queue because `depth` cells already wait.
    func queueFull(depth: Int) -> ExecuteOutcome
    func interrupt()
    func shutdown(restart: Bool)
    /// The session's resource use now, for `usage_request`. Answered while a cell runs, so it
    /// must not wait for the cell or for the language's process.
    func usage() -> SessionUsage
}

extension Interpreter {
    public func finishCell() {}

    /// No comm targets: a comm the frontend opens is closed at once, so it does not wait.
    public func comm(_ message: CommMessage, context: ExecutionContext) {
        if let refusal = message.refusal { context.publish(.comm(refusal)) }
    }

    public func usage() -> SessionUsage { SessionUsage() }

    /// A language without a process of its own never loses its comms.
    public var sessionGeneration: Int { 0 }

    public func queueFull(depth: Int) -> ExecuteOutcome {
        .failure(ename: "queue-full", evalue: ExecuteOutcome.queueFullMessage(depth: depth))
    }
}
