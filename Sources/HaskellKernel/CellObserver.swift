import GHCiRuntime

/// What telemetry hears about each cell.
public protocol CellObserver: Sendable {
    func cellFinished(_ outcome: ExecutionOutcome)
}
