import Testing
@testable import GHCiRuntime

/// Leaving a session: which chunks are `:quit`, and the hint for the ways people try that do not work.
@Suite struct LeavingSessionTests {
    private func quits(_ cell: String) -> [Bool] {
        CellSplitter.split(cell).map(QuitCommand.matches)
    }

    @Test func quitAndItsPrefixesAreRecognised() {
        #expect(quits(":quit") == [true])
        #expect(quits(":q") == [true])
        #expect(quits(":qui") == [true])
        #expect(quits(":quit   ") == [true], "trailing spaces")
        #expect(quits(":quit now") == [true], "GHCi ignores the argument")
        #expect(quits("  :quit  -- leaving") == [true], "leading blanks and a trailing comment")
    }

    @Test func otherChunksAreNotQuit() {
        #expect(quits(":quite") == [false])
        #expect(quits(":type quit") == [false])
        #expect(quits("quit") == [false])
        #expect(quits("main = putStrLn \":quit\"") == [false])
        #expect(!quits(":{\nx = 1\n:}").contains(true))
        #expect(!quits("xs = 1\n  : []").contains(true), "an indented cons continues the declaration")
    }

    @Test func quitIsFoundAmongOtherChunks() {
        #expect(quits("x = 1\n:q\nprint x") == [false, true, false])
    }

    @Test func noticeSaysWhatHappenedAndWhatWasSkipped() {
        let alone = QuitCommand.notice(restSkipped: false)
        #expect(alone.hasPrefix("Session ended (:quit)."))
        #expect(alone.contains("fresh GHCi session") && !alone.contains("unexpectedly"))
        #expect(!alone.contains("not run"))
        #expect(QuitCommand.notice(restSkipped: true).contains("The rest of this cell was not run."))
    }

    private func diagnostic(_ report: String) -> Diagnostic? {
        CompilerOutputParser.parse(report, chunk: ChunkContext(cell: 2, startLine: 1, chunkText: "x")).first
    }

    @Test(arguments: [
        "<interactive>:1:1: error: Variable not in scope: exit\n",
        "<interactive>:1:1: error:\n    • Variable not in scope: quit\n    • Perhaps you meant ‘quot’ (imported from Prelude)\n",
        "<interactive>:1:1: error:\n    • Variable not in scope: exit :: IO a\n",
        "\(GHCLocation.noLocation): error:\n    unknown command ':exit'\n",
        "\(GHCLocation.noLocation): error:\n    unknown command ':bye'\n",
    ])
    func leavingAttemptsGetTheLeavingHint(report: String) throws {
        let found = try #require(diagnostic(report))
        #expect(found.suggestion == LeavingHint.text)
        let traceback = found.traceback(cellSource: "x").map { MessageText.stripANSI($0) }
        #expect(traceback.last == "hint: " + LeavingHint.text)
        #expect(LeavingHint.text.contains(":quit") && LeavingHint.text.contains("Restart kernel"))
    }

    @Test func otherNamesKeepTheirHints() throws {
        let misspelt = try #require(diagnostic(
            "<interactive>:1:1: error:\n    • Variable not in scope: lenght\n    • Perhaps you meant ‘length’ (imported from Prelude)\n"))
        #expect(misspelt.suggestion == "Perhaps you meant ‘length’ (imported from Prelude)")
        let exiting = try #require(diagnostic("<interactive>:1:1: error: Variable not in scope: exitWith\n"))
        #expect(exiting.suggestion != LeavingHint.text)
        let unknown = try #require(diagnostic("\(GHCLocation.noLocation): error:\n    unknown command ':frobnicate'\n"))
        #expect(unknown.suggestion == nil)
    }
}
