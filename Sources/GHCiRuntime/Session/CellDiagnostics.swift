import InterpreterAPI

/// Turns what GHCi reported for a chunk into diagnostics and, for a failure,
/// the cell's outcome: `ename` is the exception type or `CompileError`, `evalue`
/// the one-line summary, the traceback the readable form with the cell's source.
enum CellDiagnostics {
    /// Warnings of a chunk that compiled.
    static func warnings(_ report: ChunkReport, _ chunk: ChunkContext) -> [Diagnostic] {
        guard !report.compileFailed, !report.compileReport.isEmpty else { return [] }
        return CompilerOutputParser.parse(report.compileReport, chunk: chunk)
    }

    /// The failure the chunk ended with, if any.
    static func failure(_ report: ChunkReport, _ chunk: ChunkContext, source: String) -> ExecutionOutcome? {
        var records: [Diagnostic] = []
        if report.compileFailed {
            records = CompilerOutputParser.parse(report.compileReport, chunk: chunk)
            if !records.contains(where: { $0.severity == .error }) {
                // Never lose a failure: an unparsed report still gets a record with a line.
                records.append(Diagnostic(severity: .error, module: chunk.moduleName, span: chunk.wholeChunk,
                                          message: report.compileReport, summary: "The cell did not compile"))
            }
        } else if let exception = report.exceptionReport {
            records = [RuntimeExceptionParser.parse(exception, chunk: chunk) ?? Diagnostic(
                severity: .error, module: chunk.moduleName, span: chunk.wholeChunk, message: exception,
                summary: exception.split(separator: "\n").first.map(String.init) ?? "exception", ename: "Exception")]
        } else {
            return nil
        }
        let errors = records.filter { $0.severity == .error }
        var outcome = ExecutionOutcome(reply: ExecuteOutcome(status: .error))
        outcome.reply.ename = errors.first?.ename ?? Diagnostic.compileErrorName
        outcome.reply.evalue = errors.map(\.summary).joined(separator: "; ")
        outcome.reply.traceback = records.flatMap { $0.traceback(cellSource: source) }
        outcome.diagnostics = records
        return outcome
    }

    /// A record for the runtime's own failures (restart-required, resource-limit, interrupts),
    /// pointing at the chunk that was running.
    static func runtime(ename: String, message: String, _ chunk: ChunkContext) -> Diagnostic {
        Diagnostic(severity: .error, module: chunk.moduleName, span: chunk.wholeChunk, message: message,
                   summary: message, ename: ename)
    }
}
