/// Where a chunk sits, for mapping GHCi's reports to the cell.
struct ChunkContext {
    let chunk: CellChunk
    let cell: Int
    let source: String
}

/// Turns a chunk's report into the outcome's diagnostics.
enum CellDiagnostics {
    static func warnings(_ report: ChunkReport, _ context: ChunkContext) -> [Diagnostic] { [] }

    static func failure(_ report: ChunkReport, _ context: ChunkContext) -> ExecutionOutcome? {
        if report.compileFailed {
            return .failure(ename: "CompileError", evalue: report.compileReport)
        }
        if let exception = report.exceptionReport {
            return .failure(ename: "Exception", evalue: exception)
        }
        return nil
    }
}

extension Diagnostic {
    static func session(_ message: String, ename: String, _ context: ChunkContext) -> Diagnostic {
        Diagnostic(jsonText: "{}")
    }
}
