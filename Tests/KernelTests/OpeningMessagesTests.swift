import InterpreterAPI
import Foundation
import JupyterWire
@testable import Kernel
import Synchronization
import Testing

/// Every batch handed to `send`, in order.
private final class SentBatches: Sendable {
    private let batches = Mutex<[[String]]>([])
    var all: [[String]] { batches.withLock { $0 } }
    func record(_ batch: [Outgoing]) {
        batches.withLock { $0.append(batch.map(\.message.header.msgType)) }
    }
}

private let headers = HeaderFactory(session: "kernel", username: "k")

private func event(_ type: String) -> Outgoing {
    Outgoing(.iopub, Message(identities: [], header: headers.make(msgType: type), parentHeader: .object([:]),
                             metadata: .object([:]), content: .object([:]), buffers: []))
}

@Suite struct OpeningMessagesTests {
    @Test func messagesWaitForTheFlushAndLeaveTogetherInOrder() {
        let sent = SentBatches()
        let opening = OpeningMessages(event("status"), send: { sent.record($0) })
        opening.add(event("execute_input"))
        #expect(sent.all.isEmpty)
        opening.flush()
        #expect(sent.all == [["status", "execute_input"]])
    }

    @Test func theyLeaveOnlyOnce() {
        let sent = SentBatches()
        let opening = OpeningMessages(event("status"), send: { sent.record($0) })
        opening.flush()
        opening.add(event("execute_input"))  // too late: the opening has gone
        opening.flush()
        #expect(sent.all == [["status"]])
    }

    @Test func flushesRacingFromManyThreadsSendOnce() {
        let sent = SentBatches()
        let opening = OpeningMessages(event("status"), send: { sent.record($0) })
        opening.add(event("execute_input"))
        DispatchQueue.concurrentPerform(iterations: 16) { _ in opening.flush() }
        #expect(sent.all == [["status", "execute_input"]])
    }
}
