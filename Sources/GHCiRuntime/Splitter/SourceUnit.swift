/// A run of tokens that starts at the cell's left margin: one candidate GHCi input before
/// declarations are grouped.
struct SourceUnit: Sendable {
    var tokens: Range<Int>
    /// 0-based lines the unit's text spans, including the rest of a comment it leaves open.
    var firstLine: Int
    var lastLine: Int
    /// Character offset in `firstLine` where the unit's text starts (non-zero only after a pragma).
    var startOffset: Int
    var shape: UnitShape
    /// The content of the user's own `:{` ... `:}` block, which stays one chunk.
    var isUserBlock: Bool

    /// Cuts a lexed cell into units.
    static func units(of cell: LexedCell) -> [SourceUnit] {
        var builder = Builder(cell: cell)
        return builder.build()
    }

    private struct Builder {
        let cell: LexedCell
        var units: [SourceUnit] = []

        /// Lines at the left margin that cannot begin anything and so continue the unit above
        /// (a `where` or `in` in column 1 is a mistake, but GHCi explains it best in context).
        static let continuationWords: Set<String> = ["in", "then", "else", "of", "where"]
        static let continuationSymbols: Set<String> = ["|", "=", "->", "=>", "::"]

        init(cell: LexedCell) { self.cell = cell }

        /// The cell's left margin: usually 0, more when a whole cell was pasted indented.
        var margin: Int {
            var margin = Int.max
            for (index, token) in cell.tokens.enumerated() where isFirstOnLine(index) {
                margin = min(margin, token.column)
            }
            return margin
        }

        mutating func build() -> [SourceUnit] {
            let tokens = cell.tokens
            let margin = self.margin
            var index = 0
            var start: Int?
            while index < tokens.count {
                if isUserBlockOpener(tokens[index]) {
                    if let start { addUnit(start..<index) }
                    start = nil
                    let close = tokens[(index + 1)...].firstIndex(where: isUserBlockCloser) ?? tokens.count
                    if close > index + 1 { addUnit((index + 1)..<close, isUserBlock: true) }
                    index = close + 1
                    continue
                }
                if let current = start, startsUnit(at: index, unitStart: current, margin: margin) {
                    addUnit(current..<index)
                    start = index
                } else if start == nil {
                    start = index
                }
                index += 1
            }
            if let start { addUnit(start..<tokens.count) }
            return units
        }

        func isFirstOnLine(_ index: Int) -> Bool {
            index == 0 || cell.tokens[index].line > cell.tokens[index - 1].endLine
        }

        func startsUnit(at index: Int, unitStart: Int, margin: Int) -> Bool {
            let token = cell.tokens[index]
            let previous = cell.tokens[index - 1]
            // A GHCi command is one line, and a pragma chunk holds only its pragma.
            if token.kind == .directive || previous.kind == .directive { return true }
            if previous.kind == .pragma, cell.tokens[unitStart].kind == .pragma { return true }
            guard isFirstOnLine(index), token.column <= margin else { return false }
            return !continuesUnit(at: index)
        }

        func continuesUnit(at index: Int) -> Bool {
            let token = cell.tokens[index]
            switch token.kind {
            case .identifier:
                if Self.continuationWords.contains(token.text) { return true }
                // `deriving (Show)` belongs to the data above; `deriving instance` stands alone.
                if token.text == "deriving" {
                    let sameLine = cell.tokens[index...].prefix { $0.line == token.line }
                    return !sameLine.contains { $0.is(.identifier, "instance") }
                }
                return false
            case .symbol: return Self.continuationSymbols.contains(token.text)
            case .special: return [")", "]", "}", ","].contains(token.text)
            default: return false
            }
        }

        func isUserBlockOpener(_ token: HaskellToken) -> Bool {
            token.kind == .directive && token.text.trimmingWhitespace == ":{"
        }

        func isUserBlockCloser(_ token: HaskellToken) -> Bool {
            token.kind == .directive && token.text.trimmingWhitespace == ":}"
        }

        mutating func addUnit(_ range: Range<Int>, isUserBlock: Bool = false) {
            guard !range.isEmpty else { return }
            let tokens = cell.tokens[range]
            let first = tokens[range.lowerBound]
            var lastLine = tokens.map(\.endLine).max() ?? first.line
            while lastLine + 1 < cell.lines.count, cell.endsInsideLexeme[lastLine] { lastLine += 1 }
            let startsMidLine = !isFirstOnLine(range.lowerBound)
            units.append(
                SourceUnit(
                    tokens: range, firstLine: first.line, lastLine: lastLine,
                    startOffset: startsMidLine ? first.offset : 0,
                    shape: Self.shape(of: tokens), isUserBlock: isUserBlock))
        }

        /// Declaration pragmas (`INLINE`, `SPECIALISE`, ...) travel with the declarations
        /// around them; only session pragmas such as `LANGUAGE` become pragma chunks.
        static func shape(of tokens: ArraySlice<HaskellToken>) -> UnitShape {
            let shape = UnitClassifier.classify(tokens)
            if shape == .pragma, let pragma = tokens.first, !Pragma.isSessionPragma(pragma.text) {
                return .declaration(.other)
            }
            return shape
        }
    }
}
