/// Line and whitespace handling shared by the lexer, the splitter and the tests.
extension String {
    /// Splits on any line terminator (LF, CRLF, CR) and drops trailing whitespace.
    var sourceLines: [String] {
        split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
            var end = line.endIndex
            while end > line.startIndex, line[line.index(before: end)].isWhitespace {
                end = line.index(before: end)
            }
            return String(line[..<end])
        }
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
