/// Tells GHCi's own reports on stderr (compile diagnostics, uncaught
/// exceptions, `Interrupted.`) from what the cell writes there. Reports are
/// kept for the diagnostics parser instead of being streamed as output.
struct StderrClassifier {
    enum Kind: Equatable { case userText, compileReport(isError: Bool), exception, interrupted }

    private var block: Kind = .userText

    /// Called at the start of each chunk.
    mutating func reset() { block = .userText }

    /// Classifies one whole line (without its newline).
    mutating func classify(_ line: Substring) -> Kind {
        if line == "Interrupted." { return .interrupted }
        if line.hasPrefix("*** Exception: ") || block == .exception {
            block = .exception
            return .exception
        }
        if Self.isReportHeader(line) {
            block = .compileReport(isError: line.contains(": error:") || line.contains(": error: ["))
            return block
        }
        if case .compileReport = block {
            if line.isEmpty || line.first == " " || line.first == "\t" || Self.isReportTrailer(line) { return block }
            block = .userText
        }
        return .userText
    }

    /// `Cell[7]:3:5: error:`, `<interactive>:3:5: error:`, `Foo.hs:3:5-8: warning: ...` or `<interactive>:(3,5)-(4,1): error:`.
    static func isReportHeader(_ line: Substring) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        let source = line[..<colon]
        guard !source.isEmpty, !source.contains(" ") else { return false }
        let rest = line[line.index(after: colon)...]
        guard let first = rest.first, first.isNumber || first == "(" else { return false }
        return rest.contains(": error") || rest.contains(": warning")
    }

    /// Lines GHCi prints after a failed `:load`.
    static func isReportTrailer(_ line: Substring) -> Bool {
        line.hasPrefix("Failed, ") || line.hasPrefix("Ok, ")
    }
}
