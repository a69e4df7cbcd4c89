import Foundation

extension Diagnostic {
    /// Readable lines with ANSI colour for the `error` message's traceback:
    ///
    ///     error: Cell[7]:3:11
    ///       |
    ///     3 | f x = x + "a"
    ///       |           ^^^
    ///     <message>
    ///     hint: <suggestion>
    ///
    /// The source excerpt appears only when the span points into `cellSource`
    /// (the executing cell); a location in an earlier cell or a file is named only.
    public func traceback(cellSource: String) -> [String] {
        let colour = severity == .error ? ANSI.red : ANSI.magenta
        let title = ename == Diagnostic.compileErrorName ? severity.rawValue : ename
        var lines = ["\(ANSI.bold)\(colour)\(title)\(ANSI.reset): \(ANSI.bold)\(locationText)\(ANSI.reset)"
                     + (code.map { " [\($0)]" } ?? "")]
        lines += excerpt(cellSource, colour: colour)
        lines += message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let suggestion {
            lines.append("\(ANSI.cyan)hint:\(ANSI.reset) \(suggestion)")
        }
        return lines
    }

    /// `Cell[7]:3:5`, or `Cell[7]:3:5-12` / `Cell[7]:(3,5)-(4,12)` for wider spans.
    var locationText: String {
        let s = span
        if s.startLine != s.endLine { return "\(module):(\(s.startLine),\(s.startColumn))-(\(s.endLine),\(s.endColumn))" }
        if s.startColumn != s.endColumn { return "\(module):\(s.startLine):\(s.startColumn)-\(s.endColumn)" }
        return "\(module):\(s.startLine):\(s.startColumn)"
    }

    private func excerpt(_ source: String, colour: String) -> [String] {
        guard let executingCell, module == Diagnostic.moduleName(cell: executingCell) else { return [] }
        let sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard span.startLine >= 1, span.startLine <= sourceLines.count else { return [] }
        let last = min(span.endLine, sourceLines.count, span.startLine + 4)  // at most five lines
        let width = String(last).count
        let gutter = String(repeating: " ", count: width)
        var out = ["\(ANSI.blue)\(gutter) |\(ANSI.reset)"]
        for number in span.startLine...max(span.startLine, last) {
            let text = String(sourceLines[number - 1])
            let label = String(number).padding(toLength: width, withPad: " ", startingAt: 0)
            out.append("\(ANSI.blue)\(label) |\(ANSI.reset) \(text)")
            // Underline from the start column (first line) to the end column (last line). GHC
            // counts columns in code points; a combining mark adds none on screen, so the
            // padding and carets count the characters those code points make.
            let scalars = Array(text.unicodeScalars)
            let from = number == span.startLine ? span.startColumn : 1
            let to = number == span.endLine ? span.endColumn : max(from, scalars.count)
            func shown(_ range: Range<Int>) -> Int {
                let clamped = range.clamped(to: 0..<scalars.count)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[clamped])
                return String(view).count + max(0, range.count - clamped.count)
            }
            let carets = String(repeating: "^", count: max(1, shown((from - 1)..<max(from - 1, to))))
            out.append("\(ANSI.blue)\(gutter) |\(ANSI.reset) \(String(repeating: " ", count: shown(0..<max(0, from - 1))))\(colour)\(carets)\(ANSI.reset)")
        }
        return out
    }
}

/// The few SGR sequences the traceback uses; Jupyter front ends render them.
enum ANSI {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let red = "\u{1B}[31m"
    static let magenta = "\u{1B}[35m"
    static let blue = "\u{1B}[34m"
    static let cyan = "\u{1B}[36m"
}
