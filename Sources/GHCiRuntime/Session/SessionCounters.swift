/// A session's resource counters (its cgroup), read while a cell runs.
public protocol SessionCounters: Sendable {
    func sample() -> CounterSample
    /// Starts a new peak-memory window (called before each cell).
    func resetPeak()
}

/// One reading of a session's counters. The event counts are cumulative over the session's
/// life, so a cell's own share is the difference of two readings (`since`).
public struct CounterSample: Sendable, Equatable {
    public var cpuSeconds: Double
    public var memoryPeakBytes: Int
    /// Memory charged to the session now.
    public var memoryBytes: Int
    /// How often a charge met the memory limit and the kernel had to reclaim.
    public var memoryLimitHits: Int
    /// How often reclaim failed at the limit (the OOM killer was invoked).
    public var oomEvents: Int
    public var oomKills: Int
    /// How often a fork failed at the pids limit.
    public var pidsLimitHits: Int
    /// Processes and threads in the session now.
    public var pids: Int

    public init(cpuSeconds: Double = 0, memoryPeakBytes: Int = 0, memoryBytes: Int = 0, memoryLimitHits: Int = 0,
                oomEvents: Int = 0, oomKills: Int = 0, pidsLimitHits: Int = 0, pids: Int = 0) {
        self.cpuSeconds = cpuSeconds
        self.memoryPeakBytes = memoryPeakBytes
        self.memoryBytes = memoryBytes
        self.memoryLimitHits = memoryLimitHits
        self.oomEvents = oomEvents
        self.oomKills = oomKills
        self.pidsLimitHits = pidsLimitHits
        self.pids = pids
    }

    /// What happened between `start` and this reading: cumulative counts become the
    /// difference; peak and current figures stay as read now.
    func since(_ start: CounterSample) -> CounterSample {
        var delta = self
        delta.cpuSeconds -= start.cpuSeconds
        delta.memoryLimitHits -= start.memoryLimitHits
        delta.oomEvents -= start.oomEvents
        delta.oomKills -= start.oomKills
        delta.pidsLimitHits -= start.pidsLimitHits
        return delta
    }
}

/// The per-cell limits the guard enforces (memory and pids are enforced by the cgroup itself).
public struct CellBudget: Sendable, Equatable {
    /// Wall-clock time one cell may take.
    public var wall: Duration?
    public var cpuSeconds: Double?
    public var memoryBytes: Int?
    public var pids: Int?

    /// After a breach the session is kept only while its live memory (after a major GC)
    /// and its processes and threads stay under this share of their budgets; otherwise it
    /// is replaced at once. GHC's copying collector needs room for a second copy of what is
    /// live, so a heap over half the budget cannot be collected within it: every later cell
    /// would breach again. Processes left over half the pids budget would starve the next
    /// cell's forks and GHC's own worker threads.
    public static let keepableShare = 0.5

    public init(wall: Duration? = nil, cpuSeconds: Double? = nil, memoryBytes: Int? = nil, pids: Int? = nil) {
        self.wall = wall
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.pids = pids
    }
}
