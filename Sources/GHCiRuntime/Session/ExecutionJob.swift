/// A cell to run, as the spec's entity of the same name. Silent runs and stdin
/// permission are the kernel's business: it handles them around the runtime.
public struct ExecutionJob: Sendable {
    public var code: String
    /// The count this cell is shown with (`Cell[N]` in diagnostics).
    public var executionCount: Int

    public init(code: String, executionCount: Int) {
        self.code = code
        self.executionCount = executionCount
    }
}
