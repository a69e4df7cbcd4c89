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

    /// The answer for a cell queued behind one that failed or was interrupted (`stop_on_error`).
    public static func notRun(after earlier: ExecuteOutcome) -> ExecuteOutcome {
        let what = earlier.status == .aborted ? "was interrupted" : "failed"
        var outcome = ExecuteOutcome(status: .aborted)
        outcome.ename = "Aborted"
        outcome.evalue = "Not run: an earlier cell \(what) (stop_on_error)."
        outcome.traceback = ["\u{1b}[0;33mAborted\u{1b}[0m: this cell was not run because an earlier cell \(what) (stop_on_error)."]
        return outcome
    }

    /// The `error` output that shows an outcome other than `ok`. JupyterLab, Notebook and the
    /// console show iopub, not the reply, so without it such a cell would look as if nothing
    /// happened; they render the traceback, which is therefore never empty.
    public var errorOutput: KernelOutput? {
        guard status != .ok else { return nil }
        let name = ename.isEmpty ? (status == .aborted ? "Aborted" : "Error") : ename
        let lines = traceback.isEmpty ? ["\u{1b}[0;31m\(name)\u{1b}[0m: \(evalue)"] : traceback
        return .error(ename: name, evalue: evalue, traceback: lines)
    }

    public static func queueFullMessage(depth: Int) -> String {
        "The kernel already has \(depth) cells waiting; this one was not run. Try again when the queue drains."
    }
}
