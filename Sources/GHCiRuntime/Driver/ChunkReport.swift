/// How one chunk ended and what GHCi reported about it.
public struct ChunkReport: Sendable {
    public enum Ending: Sendable, Equatable {
        case completed
        /// GHCi printed `Interrupted.`: the chunk stopped, the session lives.
        case interrupted
        /// GHCi is gone.
        case died(String)
        /// The deadline passed with GHCi still busy.
        case timedOut
    }

    public var ending: Ending = .completed
    /// GHCi's compile diagnostics (errors and warnings) for this chunk.
    public var compileReport = ""
    public var compileFailed = false
    /// `*** Exception: ...` and what follows, if the chunk raised.
    public var exceptionReport: String?
    /// Everything the chunk printed to stdout, when the caller asked to capture it.
    public var captured = ""
    /// What GHCi itself wrote, until the chunk ends and it is sorted into the fields above.
    var reports = GHCiReports()

    /// Sorts GHCi's reports into the report's fields (once, when the chunk has ended).
    mutating func sortReports() {
        let written = reports
        reports = GHCiReports()
        written.sort(into: &self)
    }

    public var failed: Bool { compileFailed || exceptionReport != nil || ending != .completed }
}
