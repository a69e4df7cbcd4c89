import InterpreterAPI
import JSONValue
@testable import HaskellKernel
import Testing

/// A notebook run keeps what a frontend would show: displays without their transient ids,
/// updates applied in place, clears (with `wait`, at the next output), no comm traffic.
struct OutputRecorderTests {
    @Test func updatesReplaceTheirDisplayAndClearsWaitForTheNextOutput() {
        let recorder = OutputRecorder(count: 1, echo: { _ in })
        recorder.add(.displayData(data: ["text/plain": "one"], transient: ["display_id": "d"]))
        recorder.add(.displayData(data: ["text/plain": "other"]))
        recorder.add(.updateDisplayData(data: ["text/plain": "two"], metadata: [:], transient: ["display_id": "d"]))
        recorder.add(.comm(CommMessage(type: .open, content: ["comm_id": "c", "target_name": "t"])))
        #expect(recorder.outputs.map { $0["data"]?["text/plain"]?.stringValue } == ["two", "other"])
        #expect(recorder.outputs.allSatisfy { $0["transient"] == nil && $0["output_type"]?.stringValue == "display_data" })
        recorder.add(.clearOutput(wait: true))
        #expect(recorder.outputs.count == 2)
        recorder.add(.stream(name: "stdout", text: "after\n"))
        #expect(recorder.outputs.map { $0["output_type"]?.stringValue } == ["stream"])
        recorder.add(.clearOutput(wait: false))
        #expect(recorder.outputs.isEmpty)
    }
}
