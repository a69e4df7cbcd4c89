import Foundation
import GHCiRuntime
import HaskellKernel
import JSONValue
import KernelTestSupport
import Testing

/// The Haskell kernel end to end over the in-memory transport: real GHCi, the real kernel core.
@Suite(.serialized) struct HaskellKernelTests {
    @Test func kernelInfoDescribesHaskellAndTheSandbox() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let kernel = InMemoryKernel(interpreter: interpreter)
        let request = kernel.request("kernel_info_request", [:])
        let reply = try #require(kernel.reply(to: request))
        let language = try #require(reply.content["language_info"])
        #expect(language["name"] == "haskell")
        #expect(language["file_extension"] == ".hs")
        #expect(language["version"]?.stringValue == GHCToolchain(ghci: testGHCi!).version())
        #expect(reply.content["implementation"] == "ghcbox")
        #expect(reply.content["protocol_version"] == "5.4")
        #expect(reply.content["banner"]?.stringValue?.contains("Sandbox: none") == true, "\(reply.content)")
        let links = reply.content["help_links"]?.arrayValue ?? []
        #expect(links.contains { $0["text"] == "Hackage" && $0["url"] == "https://hackage.haskell.org/" })
    }

    @Test func definitionsCarryOverAndValuesAreResults() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let kernel = InMemoryKernel(interpreter: interpreter)
        let first = try kernel.run("double x = 2 * x\nputStrLn \"héllo\"")
        #expect(first.reply.content["status"] == "ok")
        #expect(first.iopub.streamText("stdout") == "héllo\n")
        let second = try kernel.run("double 21")
        #expect(second.reply.content["execution_count"] == 2)
        let result = try #require(second.iopub.of("execute_result").first)
        #expect(result.content["data"]?["text/plain"] == "42")
        #expect(result.content["execution_count"] == 2)
        #expect(second.reply.metadata["sandbox"] == "none (--no-sandbox)")
        #expect(second.reply.metadata["duration_seconds"]?.doubleValue ?? -1 >= 0)
    }

    @Test func aCompileErrorIsADiagnosticInTheReplyAndAnErrorOnIOPub() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let kernel = InMemoryKernel(interpreter: interpreter)
        let (reply, iopub) = try kernel.run("x :: Int\nx = \"text\"")
        #expect(reply.content["status"] == "error")
        #expect(reply.content["ename"] == "CompileError")
        let diagnostics = try #require(reply.content["diagnostics"]?.arrayValue)
        let error = try #require(diagnostics.first { $0["severity"] == "error" })
        #expect(error["module"] == "Cell[1]")
        #expect(error["span"]?["start_line"] == 2)
        #expect(error["span"]?["start_column"] == 5)
        #expect(error["code"] == .null, "GHC 9.0 prints no diagnostic codes")
        #expect(error["message"]?.stringValue?.contains("Couldn't match") == true)
        let published = try #require(iopub.of("error").first)
        #expect(published.content["ename"] == "CompileError")
        #expect(published.content["traceback"]?.arrayValue?.isEmpty == false)
    }

    @Test func quitEndsTheSessionAndTheNextCellStartsAFreshOne() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let kernel = InMemoryKernel(interpreter: interpreter)
        _ = try kernel.run("kept = 1")
        let (reply, iopub) = try kernel.run(":quit")
        #expect(reply.content["status"] == "ok")
        #expect(reply.metadata["session_restarted"] == true)
        #expect(iopub.streamText("stdout") == QuitCommand.notice(restSkipped: false))
        #expect(iopub.of("error").isEmpty)
        let gone = try kernel.run("kept")
        #expect(gone.reply.content["ename"] == "CompileError")
        #expect(gone.reply.content["evalue"]?.stringValue?.contains("unexpectedly") == false)
        #expect(gone.reply.metadata["session_restarted"] == nil)
        let fresh = try kernel.run("1 + 1")
        #expect(fresh.iopub.of("execute_result").first?.content["data"]?["text/plain"] == "2")
    }

    @Test func exitGetsTheHintThatNamesTheWaysToLeave() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let kernel = InMemoryKernel(interpreter: interpreter)
        for attempt in ["exit", ":exit"] {
            let (reply, iopub) = try kernel.run(attempt)
            #expect(reply.content["ename"] == "CompileError", "\(attempt)")
            let suggestion = reply.content["diagnostics"]?.arrayValue?.first?["suggestion"]?.stringValue ?? ""
            #expect(suggestion.contains(":quit") && suggestion.contains("Restart kernel"), "\(attempt): \(suggestion)")
            let traceback = iopub.of("error").first?.content["traceback"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(traceback.contains { $0.contains(suggestion) }, "\(traceback)")
        }
    }

    @Test func warningsOfACellThatRanAreShownAndReturned() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let kernel = InMemoryKernel(interpreter: interpreter)
        let (reply, iopub) = try kernel.run(":set -Wunused-matches\nf x = 1")
        #expect(reply.content["status"] == "ok")
        let diagnostics = reply.content["diagnostics"]?.arrayValue ?? []
        #expect(diagnostics.count == 1 && diagnostics.first?["severity"] == "warning", "\(diagnostics)")
        #expect(iopub.streamText("stderr").contains("Defined but not used"), "\(iopub.streamText("stderr"))")
    }

    @Test func completionAndInspectionAskGHCi() throws {
        let interpreter = try makeHaskellInterpreter()
        defer { interpreter.shutdown(restart: false) }
        let completion = interpreter.complete(code: "let y = 1\nmapM", cursorPos: 14)
        #expect(completion.matches.contains("mapM_"), "\(completion.matches)")
        #expect(completion.cursorStart == 10 && completion.cursorEnd == 14)
        let inspection = try #require(interpreter.inspect(code: "foldr", cursorPos: 3, detailLevel: 0))
        #expect(inspection.data["text/plain"]?.stringValue?.contains("foldr ::") == true)
        #expect(inspection.data["text/markdown"]?.stringValue?.hasPrefix("```haskell") == true)
        #expect(interpreter.inspect(code: "   ", cursorPos: 1, detailLevel: 0)?.data == nil)
    }

    @Test func aFullQueueGetsADiagnosticOfTheRuntimesShape() {
        let settings = SessionSettings(toolchain: GHCToolchain(ghci: "/nonexistent/ghci"), sandboxed: false)
        let refusal = InterpreterFactory.make(settings, logger: .init(label: "test")).queueFull(depth: 3)
        #expect(refusal.status == .error && refusal.ename == "queue-full")
        #expect(refusal.evalue.contains("3 cells waiting"))
        let record = refusal.extraContent["diagnostics"]?.arrayValue?.first
        #expect(record?["module"] == "Cell[queued]")
        #expect(record?["suggestion"]?.stringValue?.contains("GHCBOX_QUEUE_DEPTH") == true)
        #expect(record?["span"]?["start_line"] == 1)
    }
}
