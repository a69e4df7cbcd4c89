import Foundation

/// Watches one running cell: wall-clock time, and the session's cgroup counters when it
/// has a cgroup (CPU time, memory-limit and OOM events, forks refused at the pids limit).
/// It has no thread of its own: the worker waiting for GHCi calls `check` every `interval`
/// seconds (`GHCiProcess.run`'s `watch`). On a CPU or wall breach it interrupts the cell
/// (`interrupt`, whose grace period escalates to abandoning the chunk); memory and pids are
/// held by the cgroup itself, so for them it only notes which limit tripped first. It also
/// tells the CPU time the session used since its previous cell ended (`idleCPUSeconds`), kept
/// apart from the cell's own.
// Unchecked: its mutable state is touched only by the worker thread that runs the cell
// (`begin` comes through the cell's `underway`, which GHCiProcess.run calls on that thread).
final class CellGuard: @unchecked Sendable {
    static let interval = Duration.milliseconds(25)
    private let budget: CellBudget
    private let counters: SessionCounters?
    private let interrupt: () -> Void
    private let now: () -> ContinuousClock.Instant
    /// The first limit seen tripping; a later one (a wall breach after a refused fork) still
    /// stops the cell but is not what the cell is reported for.
    private var breach: ResourceBreach?
    private var interrupted = false
    private let startTime: ContinuousClock.Instant
    private var startSample: CounterSample?
    private let idleSince: Double?
    /// The session's CPU time from `idleSince` to the cell's start: what ran between cells.
    private(set) var idleCPUSeconds: Double?
    /// The session's CPU time when the cell finished, where the next idle window starts.
    private(set) var endCPUSeconds: Double?

    /// `idleSince`: the session's CPU time when its previous cell ended (or it became ready).
    init(budget: CellBudget, counters: SessionCounters?, idleSince: Double? = nil,
         now: @escaping () -> ContinuousClock.Instant = { .now }, interrupt: @escaping () -> Void) {
        self.budget = budget
        self.counters = counters
        self.idleSince = idleSince
        self.interrupt = interrupt
        self.now = now
        startTime = now()
    }

    /// Starts counting: once GHCi has the cell's first chunk, while it wakes up, so the
    /// cgroup reads (a dozen syscalls) are not on the way from the request to GHCi. The
    /// same reading closes the idle window, so no CPU time counts both as idle and the cell's.
    func begin() {
        guard startSample == nil, let counters else { return }
        counters.resetPeak()
        let start = counters.sample()
        startSample = start
        if let idleSince { idleCPUSeconds = max(0, start.cpuSeconds - idleSince) }
    }

    /// What `GHCiProcess.run` calls while a chunk runs; nil when there is nothing to watch.
    var watch: ChunkWatch? {
        guard budget.wall != nil || budget.cpuSeconds != nil || counters != nil else { return nil }
        return ChunkWatch(interval: Self.interval) { [self] in check() }
    }

    /// Stops watching; returns the limit the cell tripped first (if any) and its usage.
    /// `failed`: the cell ended in an error (a memory-limit event then counts as a breach).
    func finish(failed: Bool) -> (breach: ResourceBreach?, usage: CounterSample?) {
        begin()  // a cell with no chunk still reports its (zero) usage
        guard let counters, let start = startSample else { return (breach, nil) }
        let end = counters.sample()
        endCPUSeconds = end.cpuSeconds
        let usage = end.since(start)
        if breach == nil { breach = ResourceBreach.counted(usage, cellFailed: failed, budget: budget) }
        return (breach, usage)
    }

    /// Counters since the cell began (the peak is the cell's own window).
    func cellUsage() -> CounterSample? {
        guard let counters, let start = startSample else { return nil }
        return counters.sample().since(start)
    }

    func check() {
        let usage = cellUsage()
        // The outcome of the cell is not known yet: only events that are breaches whatever it is.
        if breach == nil, let usage { breach = ResourceBreach.counted(usage, cellFailed: false, budget: budget) }
        guard !interrupted else { return }
        let elapsed = now() - startTime
        if let wall = budget.wall, elapsed > wall {
            trip(ResourceBreach(limit: .wall, reached: formatSeconds(elapsed / .seconds(1)), budget: formatSeconds(wall / .seconds(1))))
        } else if let cpu = budget.cpuSeconds, let used = usage?.cpuSeconds, used > cpu {
            trip(ResourceBreach(limit: .cpu, reached: formatSeconds(used), budget: formatSeconds(cpu)))
        }
    }

    private func trip(_ found: ResourceBreach) {
        if breach == nil { breach = found }
        interrupted = true
        interrupt()
    }
}
