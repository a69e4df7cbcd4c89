import Foundation
import Testing
@testable import GHCiRuntime

@Suite struct DiagnosticsUnitTests {
    @Test func locationForms() throws {
        let point = try #require(GHCLocation("Cell[7]:3:5"))
        #expect(point.file == "Cell[7]" && point.span == SourceSpan(line: 3, column: 5))
        let ranged = try #require(GHCLocation("<interactive>:3:5-12"))
        #expect(ranged.file == "<interactive>")
        #expect(ranged.span == SourceSpan(startLine: 3, startColumn: 5, endLine: 3, endColumn: 12))
        let multi = try #require(GHCLocation("Foo.hs:(3,5)-(4,12)"))
        #expect(multi.file == "Foo.hs")
        #expect(multi.span == SourceSpan(startLine: 3, startColumn: 5, endLine: 4, endColumn: 12))
        #expect(GHCLocation("<no location info>")?.span == nil)
        #expect(GHCLocation("not a location") == nil)
    }

    @Test func headerWith96CodeAndFlags() throws {
        let h = try #require(DiagnosticHeader(line: "<interactive>:3:5: warning: [GHC-40910] [-Wunused-matches]"))
        #expect(h.severity == .warning && h.code == "GHC-40910" && h.warningFlag == "-Wunused-matches")
        let werror = try #require(DiagnosticHeader(line: "Cell[1]:2:5: error: [-Wunused-matches, Werror=unused-matches]"))
        #expect(werror.severity == .error && werror.warningFlag == "-Wunused-matches" && werror.code == nil)
        #expect(DiagnosticHeader(line: "    • In the expression: x + \"a\"") == nil)
    }

    @Test func wrapperPutsLinePragmaFirst() {
        #expect(ChunkWrapper.wrap("x = 1 + True", startLine: 4, cell: 7)
                == ":{\n{-# LINE 4 \"Cell[7]\" #-}\nx = 1 + True\n:}")
        // GHCi commands cannot follow anything: sent as they are.
        #expect(ChunkWrapper.wrap(":t map", startLine: 2, cell: 7) == ":t map")
    }

    @Test func interactivePositionsAreChunkRelative() {
        // An unwrapped `:t lenght` chunk on cell line 6: GHCi says line 1 (9.0) or a counter (9.6).
        let stderr = "<interactive>:1:4-9: error:\n    • Variable not in scope: lenght\n"
        let d = DiagnosticParser.parseCompilerOutput(stderr, chunkStartLine: 6, chunkLineCount: 1, cell: 2)
        #expect(d.first?.span == SourceSpan(startLine: 6, startColumn: 4, endLine: 6, endColumn: 9))
        let counter = "<interactive>:14:4-9: error:\n    Variable not in scope: lenght\n"
        let e = DiagnosticParser.parseCompilerOutput(counter, chunkStartLine: 6, chunkLineCount: 1, cell: 2)
        #expect(e.first?.span.startLine == 6 && e.first?.module == "Cell[2]")
    }

    @Test func tracebackShowsSourceCaretAndHint() {
        let stderr = """

        Cell[3]:2:11-13: error: [GHC-83865]
            • Couldn't match type ‘[Char]’ with ‘Int’
              Expected: Int
                Actual: String
        """
        let source = "f :: Int -> Int\nf x = x + \"a\""
        let d = DiagnosticParser.parse(stderr, chunk: ChunkContext(cell: 3, startLine: 1, chunkText: source))
        let plain = d[0].traceback(cellSource: source).map { MessageText.stripANSI($0) }
        #expect(plain[0] == "error: Cell[3]:2:11-13 [GHC-83865]")
        #expect(plain.contains("2 | f x = x + \"a\""))
        #expect(plain.contains("  |           ^^^"))
        #expect(d[0].summary == "Type mismatch: expected Int, got String")
        #expect(plain.last?.hasPrefix("hint: ") == true)
    }

    @Test func caretsSitUnderTheCodePointsGHCCounted() {
        // `é` written as e + U+0301 is two code points (two GHC columns) but one character on screen.
        let source = "let s = \"e\u{301}λ\" ++ lenght"
        let column = source.unicodeScalars.count - "lenght".count + 1
        let stderr = "Cell[1]:1:\(column)-\(column + 5): error:\n    • Variable not in scope: lenght\n"
        let d = DiagnosticParser.parse(stderr, chunk: ChunkContext(cell: 1, startLine: 1, chunkText: source))
        let plain = d[0].traceback(cellSource: source).map { MessageText.stripANSI($0) }
        let expected = "  | " + String(repeating: " ", count: source.count - "lenght".count) + "^^^^^^"
        #expect(plain.contains(expected), "\(plain)")
    }

    @Test func summaryReadsAHeadlineGHCWrapped() {
        // GHC breaks a long name's type or a long constraint onto the lines below the first.
        let scope = """
        Cell[1]:3:3-8: error:
            • Variable not in scope:
                object :: [(String, GHCbox.Display.JSON)] -> GHCbox.Display.JSON
            • Perhaps you want to add ‘object’ to the import list
        """
        let instance = """
        Cell[4]:7:1-17: error:
            • No instance for (Show
                                 (Graphics.Rendering.Chart.Easy.Renderable ()))
                arising from a use of ‘printResult’
            • In a stmt of an interactive GHCi command: printResult it
        """
        let quoted = "Cell[2]:1:5: error: parse error on input ‘(’\n"
        let summaries = [scope, instance, quoted].map {
            DiagnosticParser.parse($0, chunk: ChunkContext(cell: 1, startLine: 1, chunkText: "x"))[0].summary
        }
        #expect(summaries == [
            "Variable not in scope: object",
            "Missing instance: Show (Graphics.Rendering.Chart.Easy.Renderable ())",
            "Syntax error at ‘(’",
        ])
    }

    @Test func runtimeWithoutLocationSpansTheChunk() throws {
        let d = try #require(DiagnosticParser.parseRuntimeException(
            "*** Exception: divide by zero\n", chunkStartLine: 4, chunkLineCount: 3, cell: 9))
        #expect(d.ename == "ArithException" && d.module == "Cell[9]")
        #expect(d.span.startLine == 4 && d.span.endLine == 6)
    }
}
