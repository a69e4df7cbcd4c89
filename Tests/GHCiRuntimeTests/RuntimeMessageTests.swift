import InterpreterAPI
import JSONValue
@testable import GHCiRuntime
import Testing

/// Message frames are written by the runtime but a cell can forge them: only well-formed
/// messages of the known types pass, and a frame past the limit is dropped whole.
struct RuntimeMessageTests {
    private func read(_ text: String) -> Result<KernelOutput, RuntimeMessage.Refusal> {
        RuntimeMessage.output(from: Array(text.utf8))
    }

    @Test func displaysUpdatesClearsAndResultsAreRead() throws {
        let shown = read(#"{"msg_type":"display_data","content":{"data":{"text/html":"<b>x</b>"},"metadata":{},"transient":{"display_id":"d1"}}}"#)
        #expect(shown == .success(.displayData(data: ["text/html": "<b>x</b>"], metadata: [:], transient: ["display_id": "d1"])))
        let update = read(#"{"msg_type":"update_display_data","content":{"data":{"text/plain":"2"},"transient":{"display_id":"d1"}}}"#)
        #expect(update == .success(.updateDisplayData(data: ["text/plain": "2"], metadata: [:], transient: ["display_id": "d1"])))
        #expect(read(#"{"msg_type":"clear_output","content":{"wait":true}}"#) == .success(.clearOutput(wait: true)))
        let result = read(#"{"msg_type":"execute_result","content":{"data":{"image/png":"iVBO"},"metadata":{"image/png":{"width":4}}}}"#)
        #expect(result == .success(.executeResult(data: ["image/png": "iVBO"], metadata: ["image/png": ["width": 4]])))
    }

    @Test func commMessagesKeepMetadataAndDecodeBuffers() throws {
        let open = read(#"{"msg_type":"comm_open","content":{"comm_id":"c","target_name":"jupyter.widget","data":{}},"metadata":{"version":"2.1.0"},"buffers":["AQID"]}"#)
        let expected = CommMessage(type: .open, content: ["comm_id": "c", "target_name": "jupyter.widget", "data": [:]],
                                   metadata: ["version": "2.1.0"], buffers: [[1, 2, 3]])
        #expect(open == .success(.comm(expected)))
    }

    @Test(arguments: [
        "not json",
        #"{"content":{}}"#,
        #"{"msg_type":"shutdown_request","content":{}}"#,
        #"{"msg_type":"display_data","content":{"data":{}}}"#,
        #"{"msg_type":"update_display_data","content":{"data":{"text/plain":"x"}}}"#,
        #"{"msg_type":"comm_open","content":{"comm_id":"c"}}"#,
        #"{"msg_type":"comm_msg","content":{"data":{}}}"#,
        #"{"msg_type":"comm_msg","content":{"comm_id":"c"},"buffers":["%%%"]}"#,
    ])
    func malformedOrUnknownMessagesAreRefused(_ text: String) {
        guard case .failure = read(text) else { Issue.record("accepted: \(text)"); return }
    }

    @Test func aFrameOverTheLimitIsDroppedWholeAndAnUnfinishedOneToo() throws {
        var frame = MessageFrame(limit: 16)
        frame.open()
        frame.append(Array(#"{"msg_type":"clear_output","#.utf8))
        frame.append(Array(#""content":{}}"#.utf8))
        guard case .failure(let refusal) = frame.close() else { Issue.record("an oversized frame passed"); return }
        #expect(refusal.note.contains("output budget"))
        #expect(frame.close() == nil)
        frame.open()
        frame.append(Array("{".utf8))
        guard case .failure(let cut) = frame.abandon() else { Issue.record("an unfinished frame passed"); return }
        #expect(cut.note.contains("unfinished"))
        var roomy = MessageFrame(limit: 1 << 10)
        roomy.open()
        roomy.append(Array(#"{"msg_type":"clear_output","content":{}}"#.utf8))
        #expect(roomy.close() == .success(.clearOutput(wait: false)))
    }
}
