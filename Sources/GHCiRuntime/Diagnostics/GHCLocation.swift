/// A position as GHC prints it: `Cell[7]:3:5`, `<interactive>:3:5-12`,
/// `Foo.hs:(3,5)-(4,12)`, or `<no location info>` (no span).
struct GHCLocation: Equatable, Sendable {
    static let interactive = "<interactive>"
    static let noLocation = "<no location info>"

    var file: String
    var span: SourceSpan?

    /// Parses a whole location such as `Cell[7]:3:5-12` (no trailing colon).
    init?(_ text: Substring) {
        if text == Self.noLocation[...] {
            file = Self.noLocation
            span = nil
            return
        }
        // The position is after the last colon that is followed by a digit or '(';
        // scan backwards so file names with colons or brackets stay whole.
        guard let parsed = Self.splitFileAndPosition(text) else { return nil }
        file = String(parsed.file)
        span = parsed.span
    }

    private static func splitFileAndPosition(_ text: Substring) -> (file: Substring, span: SourceSpan)? {
        if text.hasSuffix(")"), let open = text.range(of: ":(", options: .backwards) {
            // `file:(l1,c1)-(l2,c2)`
            let position = text[open.upperBound...].dropLast()  // `l1,c1)-(l2,c2`
            let numbers = position.split(whereSeparator: { ",()-".contains($0) }).compactMap { Int($0) }
            guard numbers.count == 4, !text[..<open.lowerBound].isEmpty else { return nil }
            return (text[..<open.lowerBound],
                    SourceSpan(startLine: numbers[0], startColumn: numbers[1],
                               endLine: numbers[2], endColumn: numbers[3]))
        }
        // `file:l:c` or `file:l:c1-c2`
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let line = Int(parts[parts.count - 2]) else { return nil }
        let columns = parts[parts.count - 1].split(separator: "-", omittingEmptySubsequences: false)
        guard let first = columns.first.flatMap({ Int($0) }) else { return nil }
        let last = columns.count == 2 ? Int(columns[1]) : first
        guard let last, columns.count <= 2 else { return nil }
        let fileEnd = parts[parts.count - 2].startIndex
        let file = text[..<text.index(before: fileEnd)]
        guard !file.isEmpty else { return nil }
        return (file, SourceSpan(startLine: line, startColumn: first, endLine: line, endColumn: last))
    }

    /// Finds the first location-looking token in free text, e.g. the
    /// `Cell[1]:31:3-8` in "Pattern match failure in do expression at Cell[1]:31:3-8".
    static func firstIn(_ text: Substring) -> GHCLocation? {
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            var candidate = token
            // Drop sentence punctuation, but keep the parens of `(l,c)-(l,c)`.
            while let last = candidate.last, ":,;)".contains(last) {
                if last == ")", candidate.contains(":(") { break }
                candidate = candidate.dropLast()
            }
            if candidate.contains(":"), let location = GHCLocation(candidate), location.span != nil {
                return location
            }
        }
        return nil
    }
}
