import Testing
@testable import GHCiRuntime

private func sorted(_ text: String) -> ChunkReport {
    var reports = GHCiReports()
    reports.append(Array(text.utf8))
    var report = ChunkReport()
    reports.sort(into: &report)
    return report
}

@Test func locatedErrorsFailAndWarningsDoNot() {
    let error = sorted("\n<interactive>:1:1: error:\n    • Variable not in scope: lenght\n")
    #expect(error.compileFailed)
    #expect(error.compileReport.contains("Variable not in scope: lenght"))
    let warning = sorted("\nCell[2]:3:5: warning: [-Wunused-matches]\n    Defined but not used: ‘x’\n")
    #expect(!warning.compileFailed)
    #expect(warning.compileReport.contains("Defined but not used"))
    #expect(!warning.failed)
}

@Test func anExceptionKeepsEveryLineAfterIt() {
    let report = sorted("*** Exception: boom\nCallStack (from HasCallStack):\n  error, called at <interactive>:1:1 in interactive:Ghci1\n")
    #expect(report.exceptionReport == "*** Exception: boom\nCallStack (from HasCallStack):\n  error, called at <interactive>:1:1 in interactive:Ghci1\n")
    #expect(!report.compileFailed)
}

@Test func interruptedEndsTheChunkAsInterrupted() {
    #expect(sorted("Interrupted.\n").ending == .interrupted)
}

@Test func wordsWithoutALocationAreOneError() {
    let report = sorted("cannot satisfy -package nope\n    (use -v for more information)\nSome flags have not been recognized: -XFoo\n")
    #expect(report.compileFailed)
    let records = CompilerOutputParser.parse(report.compileReport, chunk: ChunkContext(cell: 1, startLine: 1, lineCount: 1))
    #expect(records.count == 1)
    #expect(records.first?.severity == .error)
    #expect(records.first?.message.contains("cannot satisfy -package nope") == true)
    #expect(records.first?.message.contains("-XFoo") == true)
}

@Test func aLineSplitAcrossAppendsIsOneLine() {
    var reports = GHCiReports()
    for piece in ["<no location info>: err", "or:\n    Could not find mod", "ule ‘X’\n"] { reports.append(Array(piece.utf8)) }
    var report = ChunkReport()
    reports.sort(into: &report)
    #expect(report.compileFailed)
    #expect(report.compileReport.contains("Could not find module ‘X’"))
}

@Test func reportsAreBoundedAndSayTheyWereCut() {
    var reports = GHCiReports()
    let line = Array((String(repeating: "x", count: 1023) + "\n").utf8)
    for _ in 0..<(GHCiReports.limit / line.count + 10) { reports.append(line) }
    var report = ChunkReport()
    reports.sort(into: &report)
    #expect(report.compileReport.utf8.count < GHCiReports.limit + 64 * 1024)
    #expect(report.compileReport.contains("cut at"))
}

@Test func ghciStdoutFailuresBecomeErrorsAndTheRestIsOutput() {
    var stdout = GHCiStdout()
    var out = Coalescer()
    var failures: [String] = []
    stdout.take(Array("map :: (a -> b) -> [a] -> [b]\nunknown command ':foo'\nuse :? for help.\n".utf8), output: &out) { failures.append($0) }
    #expect(failures == ["unknown command ':foo'"])
    #expect(out.take(now: .now, force: true) == "map :: (a -> b) -> [a] -> [b]\n")
    // The runtime ends a span at every line: the hint in a span of its own is still the error's.
    stdout.take(Array("unknown command ':bar'\n".utf8), output: &out) { failures.append($0) }
    stdout.close(output: &out)
    stdout.take(Array("use :? for help.\n".utf8), output: &out) { failures.append($0) }
    #expect(out.take(now: .now, force: true) == nil)
}
