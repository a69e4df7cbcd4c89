import Foundation
import Testing
@testable import GHCiRuntime

/// Counters a test sets by hand, as a session's cgroup would report them.
final class FakeCounters: SessionCounters, @unchecked Sendable {
    private let lock = NSLock()
    private var current: CounterSample

    init(_ start: CounterSample = CounterSample()) { current = start }

    func set(_ change: (inout CounterSample) -> Void) { lock.withLock { change(&current) } }
    func sample() -> CounterSample { lock.withLock { current } }
    func resetPeak() {}
}

/// A guard over fake counters and a clock the test moves.
final class GuardRig: @unchecked Sendable {
    let counters: FakeCounters
    /// Seconds on the guard's clock.
    var now = 100.0
    private let origin = ContinuousClock.now
    var interrupts = 0
    var cellGuard: CellGuard!

    init(budget: CellBudget, start: CounterSample = CounterSample()) {
        counters = FakeCounters(start)
        cellGuard = CellGuard(budget: budget, counters: counters, now: { [unowned self] in origin + .seconds(now) }) { [unowned self] in
            interrupts += 1
        }
        cellGuard.begin()
    }
}

let guardBudget = CellBudget(wall: .seconds(10), cpuSeconds: 5, memoryBytes: 600 << 20, pids: 64)

@Test func aBreachOfAnEarlierCellIsNotReportedForTheNext() {
    // The session already had OOM kills, refused forks and limit hits before this cell.
    let rig = GuardRig(budget: guardBudget, start: CounterSample(cpuSeconds: 50, memoryPeakBytes: 480 << 20, memoryLimitHits: 9,
                                                           oomEvents: 2, oomKills: 2, pidsLimitHits: 7))
    rig.cellGuard.check()
    let (breach, usage) = rig.cellGuard.finish(failed: true)
    #expect(breach == nil)
    #expect(usage?.oomKills == 0 && usage?.pidsLimitHits == 0 && usage?.memoryLimitHits == 0 && usage?.cpuSeconds == 0)
}

@Test func theFirstLimitToTripIsTheOneReported() {
    let rig = GuardRig(budget: guardBudget)
    rig.counters.set { $0.pidsLimitHits = 1 }
    rig.cellGuard.check()
    #expect(rig.interrupts == 0, "the cgroup holds the pids limit itself")
    // The cell goes on, refused, until the wall-clock budget stops it.
    rig.now += 11
    rig.counters.set { $0.oomKills = 1 }
    rig.cellGuard.check()
    rig.cellGuard.check()
    #expect(rig.interrupts == 1, "the wall breach still stops the cell, once")
    #expect(rig.cellGuard.finish(failed: true).breach?.limit == .pids)
}

@Test func aWallBreachBeforeAnyCounterMovedIsWall() {
    let rig = GuardRig(budget: guardBudget)
    rig.now += 11
    rig.cellGuard.check()
    rig.counters.set { $0.memoryLimitHits = 3 }
    #expect(rig.interrupts == 1)
    #expect(rig.cellGuard.finish(failed: true).breach?.limit == .wall)
}

@Test func cpuIsTheCellsOwnCPUTime() {
    let rig = GuardRig(budget: guardBudget, start: CounterSample(cpuSeconds: 100))
    rig.counters.set { $0.cpuSeconds = 104 }
    rig.cellGuard.check()
    #expect(rig.interrupts == 0)
    rig.counters.set { $0.cpuSeconds = 105.5 }
    rig.cellGuard.check()
    #expect(rig.interrupts == 1)
    #expect(rig.cellGuard.finish(failed: false).breach?.limit == .cpu)
}

@Test(arguments: [
    (CounterSample(oomKills: 1), false, ResourceBreach.Limit?.some(.memory)),
    (CounterSample(oomEvents: 1), false, .memory),
    (CounterSample(memoryLimitHits: 4), true, .memory),
    // Reclaim at the limit that the cell lived through is no breach.
    (CounterSample(memoryLimitHits: 4), false, nil),
    (CounterSample(pidsLimitHits: 1), false, .pids),
    (CounterSample(pidsLimitHits: 1), true, .pids),
    (CounterSample(cpuSeconds: 1, memoryPeakBytes: 500 << 20), true, nil),
])
func countersNameTheLimit(delta: CounterSample, failed: Bool, expected: ResourceBreach.Limit?) {
    #expect(ResourceBreach.counted(delta, cellFailed: failed, budget: guardBudget)?.limit == expected)
}

@Test func aGHCiThatDiedAtThePidsLimitIsAPidsBreach() {
    let rig = GuardRig(budget: guardBudget)
    // The fork bomb ended GHCi between two checks; the removed cgroup still reads its last counters.
    rig.counters.set { $0.pidsLimitHits = 1; $0.pids = 0 }
    let breach = rig.cellGuard.finish(failed: true).breach
    #expect(breach?.limit == .pids)
    #expect(breach?.message.contains("64 processes") == true)
}

@Test func theHeapOverflowIsAMemoryBreachWithTheSessionsFigures() {
    let breach = ResourceBreach.raised(by: "*** Exception: heap overflow\n", budget: guardBudget,
                                       usage: CounterSample(memoryPeakBytes: 479 << 20))
    #expect(breach?.limit == .memory)
    #expect(breach?.message == "memory limit reached: the session used 479 MB of its 600 MB budget")
    #expect(ResourceBreach.raised(by: "*** Exception: Prelude.head: empty list\n", budget: guardBudget, usage: nil) == nil)
}

@Test func theProbeReadsTheLiveBytes() {
    #expect(HealthProbe.liveBytes(in: "Just 9538136\n") == 9538136)
    #expect(HealthProbe.liveBytes(in: "noise Just 1\nJust 503316480\n") == 503316480)
    #expect(HealthProbe.liveBytes(in: "Nothing\n") == nil)
    #expect(HealthProbe.liveBytes(in: "") == nil)
}

@Test func aSessionIsKeptOnlyUnderHalfOfItsBudgets() {
    let half = Int(Double(600 << 20) * CellBudget.keepableShare)
    #expect(HealthProbe.verdict(answered: true, liveBytes: 12 << 20, pids: 8, budget: guardBudget) == nil)
    #expect(HealthProbe.verdict(answered: true, liveBytes: half - 1, pids: 31, budget: guardBudget) == nil)
    #expect(HealthProbe.verdict(answered: true, liveBytes: half, pids: 8, budget: guardBudget)
        == "still held 300 MB of the 600 MB budget")
    #expect(HealthProbe.verdict(answered: false, liveBytes: 480 << 20, pids: 8, budget: guardBudget)
        == "still held 480 MB of the 600 MB budget")
    #expect(HealthProbe.verdict(answered: true, liveBytes: 12 << 20, pids: 64, budget: guardBudget)
        == "still ran 64 of its 64 processes and threads")
    #expect(HealthProbe.verdict(answered: false, liveBytes: 12 << 20, pids: 8, budget: guardBudget) == "did not run a trivial command")
    // Without a cgroup only the probe's own answer and live bytes count.
    #expect(HealthProbe.verdict(answered: true, liveBytes: 12 << 20, pids: nil, budget: CellBudget()) == nil)
}

@Test func theReplySaysWhatBecameOfTheSession() {
    #expect(BreachRecovery.kept.sentence == "The session recovered: earlier definitions are kept.")
    #expect(!BreachRecovery.kept.restarted)
    let replaced = BreachRecovery.replaced(why: "still held 480 MB of the 600 MB budget")
    #expect(replaced.sentence
        == "The session still held 480 MB of the 600 MB budget after the breach; it was restarted: earlier definitions were lost.")
    #expect(replaced.restarted && BreachRecovery.ended(why: "GHCi ended at the limit").restarted)
}
