/// Line and whitespace handling shared by the lexer, the splitter and the tests.
extension String {
    /// Splits on any line terminator (LF, CRLF, CR) and drops trailing whitespace.
    /// Trailing whitespace is found by scalar, not by `Character`: building a Character per
    /// step was most of the lexer's time on short cells.
    var sourceLines: [String] {
        split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
            let scalars = line.unicodeScalars
            var end = scalars.endIndex
            while end > scalars.startIndex, scalars[scalars.index(before: end)].properties.isWhitespace {
                end = scalars.index(before: end)
            }
            return String(scalars[..<end])
        }
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
