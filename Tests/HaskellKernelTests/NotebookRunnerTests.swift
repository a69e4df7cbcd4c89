import HaskellKernel
import InterpreterAPI
import JSONValue
import Synchronization
import Testing

/// The notebook runner against real GHCi: outputs in nbformat's shape, counts, and which failures count.
@Suite(.serialized) struct NotebookRunnerTests {
    private func notebook(_ cells: [JSON]) -> JSON {
        ["cells": .array(cells), "metadata": [:], "nbformat": 4, "nbformat_minor": 5]
    }

    private func code(_ source: JSON, tags: [String] = []) -> JSON {
        ["cell_type": "code", "source": source, "metadata": ["tags": .array(tags.map(JSON.string))], "outputs": [],
         "execution_count": nil]
    }

    @Test func runsCellsInOrderAndRecordsTheirOutputs() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let transcript = Mutex("")
        let runner = NotebookRunner(interpreter: interpreter, echo: { text in transcript.withLock { $0 += text } })
        let document = notebook([
            ["cell_type": "markdown", "source": "# Title", "metadata": [:]],
            code(["n = 6\n", "putStr \"a\"\n", "putStrLn \"b\"\n", "n * 7"]),
            code("error \"boom\"", tags: ["raises-exception"]),
            code("undefinedName"),
        ])
        let (executed, summary) = try runner.run(document)
        #expect(summary.codeCells == 3 && summary.unexpectedFailures == 1)
        let cells = try #require(executed["cells"]?.arrayValue)
        #expect(cells[0]["outputs"] == nil, "markdown cells are left alone")
        let first = try #require(cells[1]["outputs"]?.arrayValue)
        #expect(first.count == 2, "\(first)")
        #expect(first.first == ["output_type": "stream", "name": "stdout", "text": "ab\n"])
        #expect(first.last?["output_type"] == "execute_result")
        #expect(first.last?["data"]?["text/plain"] == "42")
        #expect(first.last?["execution_count"] == 1)
        #expect(cells[1]["execution_count"] == 1)
        let raised = try #require(cells[2]["outputs"]?.arrayValue?.last)
        #expect(raised["output_type"] == "error")
        #expect(raised["evalue"]?.stringValue?.contains("boom") == true)
        #expect(cells[3]["outputs"]?.arrayValue?.last?["ename"] == "CompileError")
        #expect(cells[3]["execution_count"] == 3)
        #expect(executed["nbformat"] == 4)
        #expect(transcript.withLock { $0 }.contains("Out[1]:"))
    }

    @Test func anAbortedCellIsRecordedAsAnError() throws {
        let runner = NotebookRunner(interpreter: InterruptedInterpreter(), echo: { _ in })
        let (executed, summary) = try runner.run(notebook([code("threadDelay 1000000")]))
        #expect(summary.unexpectedFailures == 1)
        let shown = try #require(executed["cells"]?.arrayValue?.first?["outputs"]?.arrayValue?.last)
        #expect(shown["output_type"] == "error")
        #expect(shown["ename"] == "Interrupted")
        #expect(shown["traceback"]?.arrayValue?.isEmpty == false)
    }

    @Test func aDocumentWithoutCellsIsRejected() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let runner = NotebookRunner(interpreter: interpreter, echo: { _ in })
        #expect(throws: NotebookError.self) { try runner.run(["metadata": [:]]) }
    }
}

/// Answers every cell as the runtime answers an interrupted one.
private final class InterruptedInterpreter: Interpreter {
    let info = InterpreterInfo(implementation: "stub", implementationVersion: "0", languageInfo: [:], banner: "", helpLinks: [])

    func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome {
        var outcome = ExecuteOutcome(status: .aborted)
        outcome.ename = "Interrupted"
        outcome.evalue = "Interrupted: the cell was stopped."
        return outcome
    }

    func complete(code: String, cursorPos: Int) -> CompletionResult { CompletionResult(matches: [], cursorStart: 0, cursorEnd: 0) }
    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> InspectionResult? { nil }
    func isComplete(code: String) -> CompletenessResult { .complete }
    func interrupt() {}
    func shutdown(restart: Bool) {}
}
