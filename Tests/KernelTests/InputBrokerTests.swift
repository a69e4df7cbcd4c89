import InterpreterAPI
import Foundation
@testable import Kernel
import Testing

/// Serialized: a test blocks in `ask` on a condition variable.
@Suite(.serialized) struct InputBrokerTests {
    /// Runs `body` on a thread of its own, so a broker call that never returns hangs the
    /// helper and not the test's caller; returns once `body` is done.
    private func onThread(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread { body(); done.signal() }.start()
        return done
    }

    @Test func aReplyThatArrivesBeforeTheWaitIsKept() {
        let broker = InputBroker()
        // The client answers while the request is still being sent: the broker is armed already.
        #expect(broker.ask { broker.deliver("quick") } == .text("quick"))
    }

    @Test func aReplyFromTheIOThreadWakesTheWorker() {
        let broker = InputBroker()
        let sent = DispatchSemaphore(value: 0)
        let delivered = onThread {
            sent.wait()
            broker.deliver("ada")
        }
        #expect(broker.ask { sent.signal() } == .text("ada"))
        delivered.wait()
    }

    @Test func cancelWakesTheWorkerWithCancelled() {
        let broker = InputBroker()
        let sent = DispatchSemaphore(value: 0)
        let cancelled = onThread {
            sent.wait()
            broker.cancel()
        }
        #expect(broker.ask { sent.signal() } == .cancelled)
        cancelled.wait()
    }

    @Test func theFirstAnswerWins() {
        let broker = InputBroker()
        let result = broker.ask {
            broker.deliver("first")
            broker.deliver("second")
            broker.cancel()
        }
        #expect(result == .text("first"))
    }

    @Test func answersWithNobodyWaitingAreDropped() {
        let broker = InputBroker()
        broker.deliver("stale")
        broker.cancel()
        #expect(broker.ask { broker.deliver("fresh") } == .text("fresh"))
        // After the answer the broker waits for nobody: a late reply is not kept for the next ask.
        broker.deliver("late")
        let sent = DispatchSemaphore(value: 0)
        let answered = onThread {
            sent.wait()
            broker.deliver("next")
        }
        #expect(broker.ask { sent.signal() } == .text("next"))
        answered.wait()
    }
}
