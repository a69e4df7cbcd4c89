/// Reads the compiler messages GHCi printed for one chunk: a header line per
/// message, then its body indented, up to the next header.
enum CompilerOutputParser {
    static func parse(_ stderr: String, chunk: ChunkContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var header: DiagnosticHeader?
        var body: [Substring] = []

        func flush() {
            guard let current = header else { return }
            diagnostics.append(makeDiagnostic(current, body: body, chunk: chunk))
            header = nil
            body = []
        }

        let text = MessageText.stripANSI(stderr)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if let next = DiagnosticHeader(line: line) {
                flush()
                header = next
            } else if line.contains(RuntimeExceptionParser.marker) {
                // A runtime exception ends the compiler's part of the output.
                flush()
            } else if header != nil {
                body.append(line)
            }
        }
        flush()
        return diagnostics
    }

    private static func makeDiagnostic(_ header: DiagnosticHeader, body: [Substring], chunk: ChunkContext) -> Diagnostic {
        // A message either sits on the header line or is the indented body; both at
        // once happens for a short first line followed by detail.
        var lines = MessageText.dedent(body)
        if !header.inlineText.isEmpty { lines.insert(header.inlineText, at: 0) }
        let split = GHCSuggestion(lines: lines)
        let explanation = CompileExplanation(severity: header.severity, message: split.messageLines,
                                             warningFlag: header.warningFlag, ghcSuggestion: split.suggestion)
        let place = chunk.place(header.location)
        return Diagnostic(
            severity: header.severity, module: place.module, span: place.span, code: header.code,
            message: split.messageLines.joined(separator: "\n"),
            suggestion: explanation.hint, summary: explanation.summary,
            ename: Diagnostic.compileErrorName, warningFlag: header.warningFlag,
            executingCell: chunk.cell)
    }
}
