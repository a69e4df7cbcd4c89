import Synchronization
import Testing
@testable import GHCiRuntime

/// Counters the test sets by hand, standing in for a session's cgroup.
private final class HandSetCounters: SessionCounters {
    private let state = Mutex((sample: CounterSample(), peakResets: 0))

    var now: CounterSample {
        get { state.withLock { $0.sample } }
        set { state.withLock { $0.sample = newValue } }
    }
    var peakResets: Int { state.withLock { $0.peakResets } }

    func sample() -> CounterSample { state.withLock { $0.sample } }
    func resetPeak() { state.withLock { $0.peakResets += 1 } }
}

/// A clock and an interrupt count the guard is given instead of the real ones.
private final class Harness: @unchecked Sendable {
    private let start = ContinuousClock.now
    /// Seconds since the guard's clock started.
    var time = 0.0
    var interrupts = 0
    let counters = HandSetCounters()

    func makeGuard(_ budget: CellBudget, counters: SessionCounters? = nil, idleSince: Double? = nil) -> CellGuard {
        CellGuard(budget: budget, counters: counters, idleSince: idleSince,
                  now: { [unowned self] in start + .seconds(time) }, interrupt: { [unowned self] in interrupts += 1 })
    }
}

@Suite struct CellGuardTests {
    @Test func aCellOverItsWallBudgetIsInterruptedOnce() {
        let h = Harness()
        let guarded = h.makeGuard(CellBudget(wall: .seconds(2)))
        h.time = 1.5
        guarded.check()
        #expect(h.interrupts == 0)
        h.time = 3
        guarded.check()
        guarded.check()
        #expect(h.interrupts == 1)
        let (breach, usage) = guarded.finish(failed: true)
        #expect(breach == ResourceBreach(limit: .wall, reached: "3.00 s", budget: "2.00 s"))
        #expect(usage == nil)  // no counters to report
    }

    @Test func cpuIsCountedFromTheCellsStart() {
        let h = Harness()
        h.counters.now = CounterSample(cpuSeconds: 10)
        let guarded = h.makeGuard(CellBudget(cpuSeconds: 1), counters: h.counters)
        guarded.begin()
        h.counters.now.cpuSeconds = 10.75
        guarded.check()
        #expect(h.interrupts == 0)
        h.counters.now.cpuSeconds = 11.5
        guarded.check()
        #expect(h.interrupts == 1)
        let (breach, usage) = guarded.finish(failed: true)
        #expect(breach == ResourceBreach(limit: .cpu, reached: "1.50 s", budget: "1.00 s"))
        #expect(usage?.cpuSeconds == 1.5)
    }

    @Test func theFirstLimitTrippedIsTheOneReported() {
        let h = Harness()
        let guarded = h.makeGuard(CellBudget(wall: .seconds(2), pids: 64), counters: h.counters)
        guarded.begin()
        h.counters.now.pidsLimitHits = 3
        guarded.check()
        // The cgroup holds processes itself: a refused fork is noted, not interrupted.
        #expect(h.interrupts == 0)
        h.time = 5
        guarded.check()
        #expect(h.interrupts == 1)
        #expect(guarded.finish(failed: true).breach == ResourceBreach(limit: .pids, reached: "64", budget: "64"))
    }

    @Test func memoryLimitHitsAreABreachOnlyWhenTheCellFailed() {
        for failed in [false, true] {
            let h = Harness()
            h.counters.now = CounterSample(memoryLimitHits: 5)
            let guarded = h.makeGuard(CellBudget(memoryBytes: 64 << 20), counters: h.counters)
            guarded.begin()
            h.counters.now.memoryLimitHits = 6
            h.counters.now.memoryPeakBytes = 80 << 20
            guarded.check()
            let (breach, usage) = guarded.finish(failed: failed)
            #expect(usage?.memoryLimitHits == 1)
            #expect(breach == (failed ? ResourceBreach(limit: .memory, reached: "80 MB", budget: "64 MB") : nil))
            #expect(h.interrupts == 0)
        }
    }

    @Test func limitHitsBeforeTheCellAreNotItsOwn() {
        let h = Harness()
        h.counters.now = CounterSample(oomKills: 2, pidsLimitHits: 7)
        let guarded = h.makeGuard(CellBudget(pids: 64), counters: h.counters)
        guarded.begin()
        guarded.check()
        #expect(guarded.finish(failed: true).breach == nil)
    }

    @Test func cpuBetweenCellsIsIdleNotTheCells() {
        let h = Harness()
        h.counters.now = CounterSample(cpuSeconds: 7)
        let guarded = h.makeGuard(CellBudget(cpuSeconds: 1), counters: h.counters, idleSince: 5)
        guarded.begin()
        guarded.begin()  // a second call changes nothing
        #expect(guarded.idleCPUSeconds == 2)
        #expect(h.counters.peakResets == 1)
        h.counters.now.cpuSeconds = 7.5
        guarded.check()
        #expect(h.interrupts == 0)
        let (breach, usage) = guarded.finish(failed: false)
        #expect(breach == nil)
        #expect(usage?.cpuSeconds == 0.5)
        #expect(guarded.endCPUSeconds == 7.5)
    }

    @Test func finishWithoutAChunkStillReportsUsage() {
        let h = Harness()
        h.counters.now = CounterSample(cpuSeconds: 3)
        let guarded = h.makeGuard(CellBudget(), counters: h.counters)
        #expect(guarded.finish(failed: false).usage == CounterSample())
        #expect(h.counters.peakResets == 1)
    }

    @Test func nothingToWatchWithoutBudgetsOrCounters() {
        let h = Harness()
        #expect(h.makeGuard(CellBudget()).watch == nil)
        #expect(h.makeGuard(CellBudget(wall: .seconds(1))).watch != nil)
        #expect(h.makeGuard(CellBudget(), counters: h.counters).watch != nil)
    }
}
