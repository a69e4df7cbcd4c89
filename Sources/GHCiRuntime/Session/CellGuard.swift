import Foundation

/// Watches one running cell: wall-clock time, and the session's cgroup counters
/// when it has a cgroup (CPU time, OOM kills, forks refused at the pids limit).
/// On a CPU or wall breach it interrupts the cell; `GHCiProcess.interrupt`'s
/// grace period escalates to abandoning the chunk if GHCi does not stop.
final class CellGuard: @unchecked Sendable {
    private let process: GHCiProcess
    private let budget: CellBudget
    private let counters: SessionCounters?
    private let grace: Double
    private let interval = 0.025
    private let lock = NSCondition()
    private var stopped = false
    private var breach: ResourceBreach?
    private let startTime = monotonicNow()
    private let startSample: CounterSample?
    /// The latest reading; kept because a replaced session's cgroup reads as zeros afterwards.
    private var lastSample: CounterSample?

    init(process: GHCiProcess, budget: CellBudget, counters: SessionCounters?, grace: Double) {
        self.process = process
        self.budget = budget
        self.counters = counters
        self.grace = grace
        counters?.resetPeak()
        startSample = counters?.sample()
    }

    func start() {
        guard budget.wallSeconds != nil || counters != nil else { return }
        let thread = Thread { [self] in watch() }
        thread.name = "cell-guard"
        thread.start()
    }

    /// Stops watching; returns the breach (if any) and the cell's usage.
    func finish() -> (breach: ResourceBreach?, usage: CounterSample?) {
        let usage = cellUsage()
        lock.withLock {
            stopped = true
            lock.broadcast()
        }
        if let usage, breachRecorded() == nil {
            // Breaches that do not interrupt: the OOM killer and refused forks.
            if usage.oomKills > 0 {
                record(ResourceBreach(limit: .memory, reached: formatBytes(max(usage.memoryPeakBytes, budget.memoryBytes ?? 0)),
                                      budget: budget.memoryBytes.map(formatBytes) ?? "?"))
            } else if usage.pidsLimitHits > 0 {
                record(ResourceBreach(limit: .pids, reached: "\(budget.pids ?? 0)", budget: budget.pids.map { "\($0)" } ?? "?"))
            }
        }
        return (breachRecorded(), usage)
    }

    /// Counters since the cell began (peak memory is the cell's own window).
    func cellUsage() -> CounterSample? {
        guard let counters, let start = startSample else { return nil }
        var now = counters.sample()
        lock.withLock {
            if let last = lastSample, now.cpuSeconds < last.cpuSeconds { now = last } else { lastSample = now }
        }
        return CounterSample(cpuSeconds: now.cpuSeconds - start.cpuSeconds, memoryPeakBytes: now.memoryPeakBytes,
                             oomKills: now.oomKills - start.oomKills, pidsLimitHits: now.pidsLimitHits - start.pidsLimitHits)
    }

    private func breachRecorded() -> ResourceBreach? { lock.withLock { breach } }

    private func record(_ found: ResourceBreach) {
        lock.withLock { if breach == nil { breach = found } }
    }

    private func watch() {
        while true {
            let done = lock.withLock { () -> Bool in
                if !stopped { _ = lock.wait(until: Date().addingTimeInterval(interval)) }
                return stopped
            }
            if done { return }
            let elapsed = monotonicNow() - startTime
            if let wall = budget.wallSeconds, elapsed > wall {
                trip(ResourceBreach(limit: .wall, reached: formatSeconds(elapsed), budget: formatSeconds(wall)))
                return
            }
            if let cpu = budget.cpuSeconds, let used = cellUsage()?.cpuSeconds, used > cpu {
                trip(ResourceBreach(limit: .cpu, reached: formatSeconds(used), budget: formatSeconds(cpu)))
                return
            }
        }
    }

    private func trip(_ found: ResourceBreach) {
        record(found)
        process.interrupt(grace: grace)
    }
}
