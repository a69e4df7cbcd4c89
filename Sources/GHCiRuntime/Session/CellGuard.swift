import Foundation

/// Watches one running cell: wall-clock time, and the session's cgroup counters
/// when it has a cgroup (CPU time, OOM kills, forks refused at the pids limit).
/// It has no thread of its own: the worker waiting for GHCi calls `check` every
/// `interval` seconds (`GHCiProcess.run`'s `watch`). On a CPU or wall breach it
/// interrupts the cell; `GHCiProcess.interrupt`'s grace period escalates to
/// abandoning the chunk if GHCi does not stop. Used from the worker thread only.
final class CellGuard: @unchecked Sendable {
    static let interval = 0.025
    private let process: GHCiProcess
    private let budget: CellBudget
    private let counters: SessionCounters?
    private let grace: Double
    private var breach: ResourceBreach?
    private let startTime = monotonicNow()
    private var startSample: CounterSample?
    /// The latest reading; kept because a replaced session's cgroup reads as zeros afterwards.
    private var lastSample: CounterSample?

    init(process: GHCiProcess, budget: CellBudget, counters: SessionCounters?, grace: Double) {
        self.process = process
        self.budget = budget
        self.counters = counters
        self.grace = grace
    }

    /// Starts counting: once GHCi has the cell's first chunk, while it wakes up, so the
    /// cgroup reads (a dozen syscalls) are not on the way from the request to GHCi.
    func begin() {
        guard startSample == nil, let counters else { return }
        counters.resetPeak()
        startSample = counters.sample()
    }

    /// What `GHCiProcess.run` calls while a chunk runs; nil when there is nothing to watch.
    var watch: ChunkWatch? {
        guard budget.wallSeconds != nil || budget.cpuSeconds != nil else { return nil }
        return ChunkWatch(interval: Self.interval) { [self] in check() }
    }

    /// Stops watching; returns the breach (if any) and the cell's usage.
    func finish() -> (breach: ResourceBreach?, usage: CounterSample?) {
        begin()  // a cell with no chunk still reports its (zero) usage
        let usage = cellUsage()
        if let usage, breach == nil {
            // Breaches that do not interrupt: the OOM killer and refused forks.
            if usage.oomKills > 0 {
                breach = ResourceBreach(limit: .memory, reached: formatBytes(max(usage.memoryPeakBytes, budget.memoryBytes ?? 0)),
                                        budget: budget.memoryBytes.map(formatBytes) ?? "?")
            } else if usage.pidsLimitHits > 0 {
                breach = ResourceBreach(limit: .pids, reached: "\(budget.pids ?? 0)", budget: budget.pids.map { "\($0)" } ?? "?")
            }
        }
        return (breach, usage)
    }

    /// Counters since the cell began (peak memory is the cell's own window).
    func cellUsage() -> CounterSample? {
        guard let counters, let start = startSample else { return nil }
        var now = counters.sample()
        if let last = lastSample, now.cpuSeconds < last.cpuSeconds { now = last } else { lastSample = now }
        return CounterSample(cpuSeconds: now.cpuSeconds - start.cpuSeconds, memoryPeakBytes: now.memoryPeakBytes,
                             oomKills: now.oomKills - start.oomKills, pidsLimitHits: now.pidsLimitHits - start.pidsLimitHits)
    }

    private func check() {
        guard breach == nil else { return }
        let elapsed = monotonicNow() - startTime
        if let wall = budget.wallSeconds, elapsed > wall {
            trip(ResourceBreach(limit: .wall, reached: formatSeconds(elapsed), budget: formatSeconds(wall)))
        } else if let cpu = budget.cpuSeconds, let used = cellUsage()?.cpuSeconds, used > cpu {
            trip(ResourceBreach(limit: .cpu, reached: formatSeconds(used), budget: formatSeconds(cpu)))
        }
    }

    private func trip(_ found: ResourceBreach) {
        breach = found
        process.interrupt(grace: grace)
    }
}
