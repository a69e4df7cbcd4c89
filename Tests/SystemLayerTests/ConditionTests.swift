import Foundation
import Testing
import SystemLayer

@Suite struct ConditionTests {
    @Test func aTimedWaitReturnsFalseOnceTheDeadlineHasPassed() {
        let condition = Condition()
        let deadline = ContinuousClock.now + .milliseconds(20)
        condition.lock()
        while condition.wait(until: deadline) {}
        condition.unlock()
        #expect(ContinuousClock.now >= deadline)
        #expect(!condition.withLock { condition.wait(until: deadline) })
    }

    @Test func aBroadcastWakesAWaiterBeforeItsDeadline() {
        final class Flag: @unchecked Sendable {
            // @unchecked: `set` is read and written only with `condition` locked.
            let condition = Condition()
            var set = false
        }
        let flag = Flag()
        Thread.detachNewThread {
            flag.condition.withLock {
                flag.set = true
                flag.condition.broadcast()
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        let woken = flag.condition.withLock { () -> Bool in
            while !flag.set { if !flag.condition.wait(until: deadline) { return false } }
            return true
        }
        #expect(woken)
    }
}
