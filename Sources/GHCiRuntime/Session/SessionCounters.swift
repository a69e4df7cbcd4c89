/// A session's resource counters (its cgroup), read while a cell runs.
public protocol SessionCounters: Sendable {
    func sample() -> CounterSample
    /// Starts a new peak-memory window (called before each cell).
    func resetPeak()
}

public struct CounterSample: Sendable, Equatable {
    public var cpuSeconds: Double
    public var memoryPeakBytes: Int
    public var oomKills: Int
    /// How often a fork failed at the pids limit.
    public var pidsLimitHits: Int

    public init(cpuSeconds: Double, memoryPeakBytes: Int, oomKills: Int, pidsLimitHits: Int) {
        self.cpuSeconds = cpuSeconds
        self.memoryPeakBytes = memoryPeakBytes
        self.oomKills = oomKills
        self.pidsLimitHits = pidsLimitHits
    }
}

/// The per-cell limits the guard enforces (memory and pids are enforced by the cgroup itself).
public struct CellBudget: Sendable, Equatable {
    public var wallSeconds: Double?
    public var cpuSeconds: Double?
    public var memoryBytes: Int?
    public var pids: Int?

    public init(wallSeconds: Double? = nil, cpuSeconds: Double? = nil, memoryBytes: Int? = nil, pids: Int? = nil) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.pids = pids
    }
}
