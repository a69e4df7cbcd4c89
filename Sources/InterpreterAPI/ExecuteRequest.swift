/// A cell to run, with the request's flags.
public struct ExecuteRequest: Sendable {
    public var code: String
    public var silent: Bool
    public var storeHistory: Bool
    public var allowStdin: Bool
    public var stopOnError: Bool
    /// The count this cell is shown with (the current count for silent requests).
    public var executionCount: Int

    public init(code: String, silent: Bool = false, storeHistory: Bool = true, allowStdin: Bool = false,
                stopOnError: Bool = true, executionCount: Int) {
        self.code = code
        self.silent = silent
        self.storeHistory = storeHistory
        self.allowStdin = allowStdin
        self.stopOnError = stopOnError
        self.executionCount = executionCount
    }
}
