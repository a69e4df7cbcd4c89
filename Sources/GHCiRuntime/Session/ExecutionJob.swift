/// A cell waiting to run, as the spec's entity of the same name.
public struct ExecutionJob: Sendable {
    public var code: String
    /// The count this cell is shown with (`Cell[N]` in diagnostics).
    public var executionCount: Int
    public var silent: Bool
    public var allowStdin: Bool

    public init(code: String, executionCount: Int, silent: Bool = false, allowStdin: Bool = true) {
        self.code = code
        self.executionCount = executionCount
        self.silent = silent
        self.allowStdin = allowStdin
    }
}
