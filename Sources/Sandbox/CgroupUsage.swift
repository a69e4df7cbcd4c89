/// The counters of a session's cgroup at one moment. All are cumulative over the cgroup's
/// life except `memoryPeakBytes` (since the last `Cgroup.resetPeak()`) and the current
/// figures; the runtime diffs two readings to get a cell's share.
public struct CgroupUsage: Sendable, Equatable {
    /// CPU time used by every process of the session, user and system.
    public var cpuSeconds: Double = 0
    /// Highest memory charged to the session since the last reset.
    public var memoryPeakBytes: UInt64 = 0
    /// Memory charged now.
    public var memoryCurrentBytes: UInt64 = 0
    /// Times a charge met the memory limit and the kernel had to reclaim (v1 `memory.failcnt`,
    /// v2 `memory.events` `max`). Reclaim often succeeds (page cache), so this alone is no breach.
    public var memoryLimitHits: UInt64 = 0
    /// Times reclaim failed at the limit and the OOM killer was invoked (v2 `memory.events`
    /// `oom`; v1 keeps no such count, only its kills).
    public var oomEvents: UInt64 = 0
    /// Processes the kernel's OOM killer has killed in the session.
    public var oomKills: UInt64 = 0
    /// Forks (or clones) refused because the session was at its pids limit.
    public var pidsEventsMax: UInt64 = 0
    /// Processes and threads in the session now.
    public var currentPids: UInt64 = 0

    public init() {}
}
