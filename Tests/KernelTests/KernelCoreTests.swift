import KernelTestSupport
import InterpreterAPI
import Foundation
import JupyterWire
@testable import Kernel
import Testing

/// Serialized: these tests block on condition variables, which would starve the shared test thread pool.
@Suite(.serialized) struct KernelCoreTests {
    @Test func executeSendsBusyInputOutputsReplyIdleInOrder() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let request = kernel.request("execute_request", ["code": "41", "silent": false])
        let reply = try #require(kernel.reply(to: request))
        #expect(reply.content["status"]?.stringValue == "ok")
        #expect(reply.content["execution_count"]?.intValue == 1)
        #expect(kernel.waitForIdle(request))
        let types = kernel.iopub(for: request).map(\.header.msgType)
        #expect(types == ["status", "execute_input", "stream", "execute_result", "status"])
    }

    /// `busy` and `execute_input` wait until the cell is under way, but output that comes
    /// first (from a reader thread) must not overtake them.
    @Test func outputBeforeTheCellIsUnderWayStillFollowsBusyAndInput() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let request = kernel.request("execute_request", ["code": "early"])
        #expect(kernel.reply(to: request)?.content["status"]?.stringValue == "ok")
        #expect(kernel.waitForIdle(request))
        let iopub = kernel.iopub(for: request)
        #expect(iopub.map(\.header.msgType) == ["status", "execute_input", "stream", "stream", "execute_result", "status"])
        #expect(iopub[0].content["execution_state"]?.stringValue == "busy")
        #expect(iopub[2].content["text"]?.stringValue == "early\n")
    }

    @Test func countsGrowOnlyForStoredHistoryAndSilentRunsQuietly() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let first = kernel.request("execute_request", ["code": "1"])
        let silent = kernel.request("execute_request", ["code": "2", "silent": true])
        let second = kernel.request("execute_request", ["code": "3"])
        #expect(kernel.reply(to: first)?.content["execution_count"]?.intValue == 1)
        #expect(kernel.reply(to: silent)?.content["execution_count"]?.intValue == 1)
        #expect(kernel.reply(to: second)?.content["execution_count"]?.intValue == 2)
        #expect(kernel.waitForIdle(silent))
        #expect(kernel.iopub(for: silent).map(\.header.msgType) == ["status", "status"])
    }

    @Test func stopOnErrorAbortsQueuedCells() throws {
        let interpreter = FakeInterpreter()
        let kernel = InMemoryKernel(interpreter: interpreter)
        // The failing cell fails only once the others are queued behind it.
        let failing = kernel.request("execute_request", ["code": "heldfail"])
        let queued = kernel.request("execute_request", ["code": "7"])
        let unguarded = kernel.request("execute_request", ["code": "fail", "stop_on_error": false])
        interpreter.release()
        #expect(kernel.reply(to: failing)?.content["status"]?.stringValue == "error")
        #expect(kernel.reply(to: queued)?.content["status"]?.stringValue == "aborted")
        #expect(kernel.reply(to: unguarded)?.content["status"]?.stringValue == "aborted")
        let later = kernel.request("execute_request", ["code": "8"])
        #expect(kernel.reply(to: later)?.content["status"]?.stringValue == "ok")
    }

    @Test func fullQueueIsRejectedAtOnce() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter(), queueDepth: 2)
        let blocker = kernel.request("execute_request", ["code": "sleep"])
        _ = kernel.waitFor { _, m in m.header.msgType == "execute_input" }
        let a = kernel.request("execute_request", ["code": "1"])
        let b = kernel.request("execute_request", ["code": "2"])
        let rejected = kernel.request("execute_request", ["code": "3"])
        let reply = try #require(kernel.reply(to: rejected))
        #expect(reply.content["ename"]?.stringValue == "queue-full")
        kernel.request("interrupt_request", [:], on: .control)
        #expect(kernel.reply(to: blocker)?.content["status"]?.stringValue == "aborted")
        // Cells queued behind an interrupted one are not run (stop_on_error), as in ipykernel.
        #expect(kernel.reply(to: a)?.content["status"]?.stringValue == "aborted")
        #expect(kernel.reply(to: b)?.content["status"]?.stringValue == "aborted")
    }

    /// The types of the messages a request caused, across channels, in order.
    private func sequence(_ kernel: InMemoryKernel, _ request: Message) -> [String] {
        kernel.messages(for: request).map(\.header.msgType)
    }

    private func errorOutput(_ kernel: InMemoryKernel, _ request: Message) -> Message? {
        kernel.iopub(for: request).first { $0.header.msgType == "error" }
    }

    @Test func anInterruptedCellShowsAnErrorBeforeItsReply() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let cell = kernel.request("execute_request", ["code": "sleep"])
        _ = kernel.waitFor { _, m in m.header.msgType == "execute_input" }
        kernel.request("interrupt_request", [:], on: .control)
        #expect(kernel.reply(to: cell)?.content["status"]?.stringValue == "aborted")
        #expect(kernel.waitForIdle(cell))
        #expect(sequence(kernel, cell) == ["status", "execute_input", "error", "execute_reply", "status"])
        let shown = try #require(errorOutput(kernel, cell))
        #expect(shown.content["ename"]?.stringValue == "Interrupted")
        #expect(shown.content["traceback"]?.arrayValue?.isEmpty == false)
    }

    @Test func aCellAbortedByStopOnErrorShowsWhy() throws {
        let interpreter = FakeInterpreter()
        let kernel = InMemoryKernel(interpreter: interpreter)
        let failing = kernel.request("execute_request", ["code": "heldfail"])
        let queued = kernel.request("execute_request", ["code": "7"])
        let quiet = kernel.request("execute_request", ["code": "8", "silent": true])
        interpreter.release()
        let reply = try #require(kernel.reply(to: queued))
        #expect(reply.content["status"]?.stringValue == "aborted")
        #expect(kernel.waitForIdle(queued) && kernel.waitForIdle(quiet))
        #expect(sequence(kernel, queued) == ["status", "error", "execute_reply", "status"])
        let shown = try #require(errorOutput(kernel, queued))
        #expect(shown.content["ename"]?.stringValue == "Aborted")
        #expect(shown.content["evalue"]?.stringValue == "Not run: an earlier cell failed (stop_on_error).")
        #expect(shown.content["traceback"]?.arrayValue?.isEmpty == false)
        #expect(reply.content["ename"]?.stringValue == "Aborted")
        // A silent request publishes nothing but its status.
        #expect(kernel.iopub(for: quiet).map(\.header.msgType) == ["status", "status"])
        #expect(sequence(kernel, failing).filter { $0 == "error" }.count == 1)
    }

    @Test func aFullQueueRefusalShowsAnError() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter(), queueDepth: 1)
        let blocker = kernel.request("execute_request", ["code": "sleep"])
        _ = kernel.waitFor { _, m in m.header.msgType == "execute_input" }
        let waiting = kernel.request("execute_request", ["code": "1"])
        let refused = kernel.request("execute_request", ["code": "2"])
        let reply = try #require(kernel.reply(to: refused))
        #expect(kernel.waitForIdle(refused))
        #expect(sequence(kernel, refused) == ["status", "error", "execute_reply", "status"])
        let shown = try #require(errorOutput(kernel, refused))
        #expect(shown.content["ename"]?.stringValue == "queue-full")
        #expect(shown.content["evalue"] == reply.content["evalue"])
        #expect(shown.content["traceback"] == reply.content["traceback"])
        kernel.request("interrupt_request", [:], on: .control)
        #expect(kernel.reply(to: blocker) != nil && kernel.reply(to: waiting) != nil)
    }

    @Test func aSilentFailurePublishesOnlyItsStatus() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let quiet = kernel.request("execute_request", ["code": "fail", "silent": true])
        #expect(kernel.reply(to: quiet)?.content["status"]?.stringValue == "error")
        #expect(kernel.waitForIdle(quiet))
        #expect(kernel.iopub(for: quiet).map(\.header.msgType) == ["status", "status"])
    }

    @Test func stdinRoundTripAndRefusal() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let request = kernel.request("execute_request", ["code": "ask", "allow_stdin": true])
        let inputRequest = try #require(kernel.waitFor { channel, m in channel == .stdin && m.header.msgType == "input_request" })
        #expect(inputRequest.content["prompt"]?.stringValue == "name? ")
        kernel.request("input_reply", ["value": "ada"], on: .stdin)
        #expect(kernel.reply(to: request)?.content["status"]?.stringValue == "ok")
        #expect(kernel.iopub(for: request).contains { $0.content["text"]?.stringValue == "hello ada\n" })
        let refused = kernel.request("execute_request", ["code": "ask", "allow_stdin": false])
        #expect(kernel.reply(to: refused)?.content["status"]?.stringValue == "error")
    }

    @Test func controlIsServedWhileACellRuns() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let blocker = kernel.request("execute_request", ["code": "sleep"])
        let info = kernel.request("kernel_info_request", [:], on: .control)
        let reply = try #require(kernel.reply(to: info))
        #expect(reply.content["language_info"]?["name"]?.stringValue == "fake", "the interpreter describes its language")
        #expect(reply.content["protocol_version"]?.stringValue == "5.4")
        #expect(reply.content["supported_features"]?.arrayValue?.isEmpty == true)
        kernel.request("interrupt_request", [:], on: .control)
        #expect(kernel.reply(to: blocker)?.content["status"]?.stringValue == "aborted")
    }

    @Test func unknownRequestsGetAnErrorReplyAndMissingCodeIsRejected() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let odd = kernel.request("frobnicate_request", [:])
        #expect(kernel.reply(to: odd)?.content["status"]?.stringValue == "error")
        let noCode = kernel.request("execute_request", ["silent": false])
        #expect(kernel.reply(to: noCode)?.content["ename"]?.stringValue == "BadRequest")
        let ok = kernel.request("execute_request", ["code": "5"])
        #expect(kernel.reply(to: ok)?.content["status"]?.stringValue == "ok")
    }

    @Test func historyTailRangeAndSearch() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        for code in ["let x = 1", "x + 1", "let y = 2"] {
            let r = kernel.request("execute_request", ["code": .string(code)])
            _ = kernel.reply(to: r)
        }
        let tail = kernel.request("history_request", ["hist_access_type": "tail", "n": 2, "output": false, "raw": true])
        #expect(kernel.reply(to: tail)?.content["history"]?.arrayValue?.count == 2)
        let search = kernel.request("history_request", ["hist_access_type": "search", "pattern": "let *", "output": false, "raw": true])
        let found = kernel.reply(to: search)?.content["history"]?.arrayValue ?? []
        #expect(found.compactMap { $0.arrayValue?[2].stringValue } == ["let x = 1", "let y = 2"])
        let range = kernel.request("history_request", ["hist_access_type": "range", "session": 0, "start": 2, "stop": 3, "output": false, "raw": true])
        #expect(kernel.reply(to: range)?.content["history"]?.arrayValue?.count == 1)
    }

    @Test func historySearchDropsRepeatsOnlyWhenUniqueAndTailKeepsThem() throws {
        var history = History()
        for (line, code) in ["x + 1", "let y = 2", "x + 1", "y", "x + 1"].enumerated() { history.record(code, line: line + 1) }
        #expect(history.search(pattern: "*", n: nil, unique: false).count == 5)
        // Each input once, where it last ran, oldest first; `n` then keeps the newest.
        #expect(history.search(pattern: "*", n: nil, unique: true).map(\.line) == [2, 4, 5])
        #expect(history.search(pattern: "*", n: 2, unique: true).map(\.input) == ["y", "x + 1"])
        #expect(history.search(pattern: "x*", n: nil, unique: true).map(\.line) == [5])
        #expect(history.tail(3).map(\.input) == ["x + 1", "y", "x + 1"])
    }

    @Test func commsOfAnEndedSessionAreClosedBeforeTheReply() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let opened = kernel.request("execute_request", ["code": "widget"])
        #expect(kernel.waitForIdle(opened))
        let listed = kernel.request("comm_info_request", [:])
        #expect(kernel.reply(to: listed)?.content["comms"] == ["w1": ["target_name": "jupyter.widget"]])

        // A cell that ends the session: `comm_close` for its comms, then the reply.
        let ended = kernel.request("execute_request", ["code": "replace"])
        #expect(kernel.waitForIdle(ended))
        let types = kernel.messages(for: ended).map(\.header.msgType).filter { $0 != "status" }
        #expect(types == ["execute_input", "comm_close", "execute_reply"])
        #expect(kernel.iopub(for: ended).first { $0.header.msgType == "comm_close" }?.content["comm_id"] == "w1")
        let after = kernel.request("comm_info_request", [:])
        #expect(kernel.reply(to: after)?.content["comms"] == [:])

        // A comm handler that ends it: the same, parented to the comm message; closed comms stay closed.
        let again = kernel.request("execute_request", ["code": "widget"])
        #expect(kernel.waitForIdle(again))
        let message = kernel.request("comm_msg", ["comm_id": "w1", "data": "replace"])
        #expect(kernel.waitForIdle(message))
        #expect(kernel.iopub(for: message).map(\.header.msgType) == ["status", "comm_close", "status"])
        let quiet = kernel.request("execute_request", ["code": "1"])
        #expect(kernel.waitForIdle(quiet))
        #expect(!kernel.iopub(for: quiet).contains { $0.header.msgType == "comm_close" })
    }

    @Test func commOpenToAnUnknownTargetIsClosed() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let open = kernel.request("comm_open", ["comm_id": "abc", "target_name": "nothing", "data": [:]])
        let close = kernel.waitFor { channel, m in channel == .iopub && m.header.msgType == "comm_close" }
        #expect(close?.content["comm_id"]?.stringValue == "abc")
        #expect(close?.parentHeader["msg_id"]?.stringValue == open.header.msgID)
    }

    @Test func commMessagesReachTheInterpreterAndItsRepliesKeepTheirBuffers() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let open = kernel.request("comm_open", ["comm_id": "c1", "target_name": "echo", "data": [:]])
        #expect(kernel.waitForIdle(open))
        let sent = kernel.request("comm_msg", ["comm_id": "c1", "data": ["x": 1]], buffers: [[1, 2, 3]])
        #expect(kernel.waitForIdle(sent))
        let replies = kernel.iopub(for: sent)
        #expect(replies.map(\.header.msgType) == ["status", "comm_msg", "stream", "status"])
        #expect(replies[1].buffers == [[1, 2, 3]])
        #expect(replies[1].content["data"]?["x"]?.intValue == 1)
        let info = kernel.request("comm_info_request", [:])
        #expect(kernel.reply(to: info)?.content["comms"]?["c1"]?["target_name"]?.stringValue == "echo")
        let close = kernel.request("comm_close", ["comm_id": "c1", "data": [:]])
        #expect(kernel.waitForIdle(close))
        let after = kernel.request("comm_info_request", [:])
        #expect(kernel.reply(to: after)?.content["comms"]?.objectValue?.isEmpty == true)
    }

    @Test func commsTheLanguageOpensAreListedByTarget() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let cell = kernel.request("execute_request", ["code": "widget"])
        #expect(kernel.reply(to: cell)?.content["status"]?.stringValue == "ok")
        let opened = kernel.iopub(for: cell).first { $0.header.msgType == "comm_open" }
        #expect(opened?.metadata["version"]?.stringValue == "2.1.0")
        let widgets = kernel.request("comm_info_request", ["target_name": "jupyter.widget"])
        #expect(kernel.reply(to: widgets)?.content["comms"]?.objectValue?.keys.sorted() == ["w1"])
        let others = kernel.request("comm_info_request", ["target_name": "other"])
        #expect(kernel.reply(to: others)?.content["comms"]?.objectValue?.isEmpty == true)
    }

    @Test func displaysCarryTheirDisplayIDAndUpdatesAndClearsHaveTheirOwnTypes() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let cell = kernel.request("execute_request", ["code": "shown"])
        #expect(kernel.waitForIdle(cell))
        let iopub = kernel.iopub(for: cell).filter { !["status", "execute_input"].contains($0.header.msgType) }
        #expect(iopub.map(\.header.msgType) == ["display_data", "update_display_data", "clear_output"])
        #expect(iopub[0].content["transient"]?["display_id"]?.stringValue == "d")
        #expect(iopub[1].content["transient"]?["display_id"]?.stringValue == "d")
        #expect(iopub[2].content["wait"]?.boolValue == true)
    }
}
