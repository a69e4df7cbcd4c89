import GHCiRuntime

/// What telemetry hears about each cell and each session.
public protocol CellObserver: Sendable {
    func cellFinished(_ outcome: ExecutionOutcome)
    /// A GHCi was replaced by a fresh one (it died, would not stop, or was unfit after a breach).
    func sessionRestarted()
}
