import Testing
@testable import GHCiRuntime

/// CPU time a session uses between cells is reported as idle, apart from the next cell's own.

@Test func cpuBetweenCellsIsIdleAndNotTheNextCells() {
    // The previous cell ended with the session at 10 s; work it left running used 3 s more
    // before this cell began, and 0.25 s while it ran.
    let counters = FakeCounters(CounterSample(cpuSeconds: 13))
    var interrupts = 0
    let cell = CellGuard(budget: guardBudget, counters: counters, idleSince: 10, now: { fixedInstant }) { interrupts += 1 }
    cell.begin()
    counters.set { $0.cpuSeconds = 13.25 }
    cell.check()
    let (breach, usage) = cell.finish(failed: false)
    #expect(cell.idleCPUSeconds == 3)
    #expect(usage?.cpuSeconds == 0.25)
    #expect(cell.endCPUSeconds == 13.25, "where the next idle window opens")
    #expect(breach == nil && interrupts == 0)
}

@Test func idleCPUDoesNotCountAgainstTheCellsBudget() {
    let counters = FakeCounters(CounterSample(cpuSeconds: 100))
    var interrupts = 0
    let cell = CellGuard(budget: guardBudget, counters: counters, idleSince: 0, now: { fixedInstant }) { interrupts += 1 }
    cell.begin()
    cell.check()
    #expect(cell.idleCPUSeconds == 100)
    #expect(interrupts == 0)
    #expect(cell.finish(failed: false).breach == nil)
}

@Test func withoutAnEarlierReadingOrCountersThereIsNoIdleFigure() {
    let fresh = CellGuard(budget: guardBudget, counters: FakeCounters(CounterSample(cpuSeconds: 2)), now: { fixedInstant }) {}
    _ = fresh.finish(failed: false)
    #expect(fresh.idleCPUSeconds == nil)
    #expect(fresh.endCPUSeconds == 2)

    let uncounted = CellGuard(budget: guardBudget, counters: nil, idleSince: 1, now: { fixedInstant }) {}
    #expect(uncounted.finish(failed: false).usage == nil)
    #expect(uncounted.idleCPUSeconds == nil && uncounted.endCPUSeconds == nil)
}

/// A clock that never moves: these tests are about CPU counters, not time.
private let fixedInstant = ContinuousClock.now
