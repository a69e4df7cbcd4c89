/// What a chunk produces, as it happens.
public enum RuntimeOutput: Sendable, Equatable {
    case stdout(String)
    case stderr(String)
    /// An expression's value, as `show` printed it.
    case result(String)
}

/// The kernel's answer when the cell reads stdin.
public enum InputAnswer: Sendable, Equatable {
    case text(String)
    /// The client does not take input; the cell's read fails with this message.
    case denied(String)
    /// The cell was interrupted while waiting.
    case cancelled
}

/// Where a running chunk's output goes and where its input comes from.
/// Called from the runtime's reader threads.
public struct ChunkIO: Sendable {
    public var output: @Sendable (RuntimeOutput) -> Void
    public var input: @Sendable (_ prompt: String) -> InputAnswer
    /// Called once GHCi has the chunk (or is being started for it), while it works.
    public var underway: @Sendable () -> Void

    public init(output: @escaping @Sendable (RuntimeOutput) -> Void,
                input: @escaping @Sendable (_ prompt: String) -> InputAnswer,
                underway: @escaping @Sendable () -> Void = {}) {
        self.output = output
        self.input = input
        self.underway = underway
    }

    /// Discards output and denies input (for silent internal commands).
    public static let discard = ChunkIO(output: { _ in }, input: { _ in .denied("stdin is not available here") })
}

/// Work for the thread that waits on a chunk, every `interval` while it runs
/// (the cell's resource guard).
public struct ChunkWatch {
    public let interval: Duration
    public let check: () -> Void

    public init(interval: Duration, check: @escaping () -> Void) {
        self.interval = interval
        self.check = check
    }
}

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
