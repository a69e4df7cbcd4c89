import InterpreterAPI

/// Decides whether Enter in a console should run the code or open another line.
///
/// `incomplete` where the code visibly waits for more (an open bracket, comment, string gap or
/// `:{`, or a last line ending in a layout keyword or an operator), and, as IPython answers an
/// indented block, while the last line is indented under an earlier one: a blank line ends
/// such a cell. `invalid` only where appending text can never help.
///
/// The indent puts the next line where Haskell's layout keeps it inside what it continues:
/// right of the innermost layout block (`let y =` continues right of `y`, not of `let`).
public enum CompletenessChecker {
    /// Keywords that must be followed by more code.
    private static let layoutKeywords: Set<String> = [
        "case", "do", "else", "if", "in", "let", "mdo", "of", "rec", "then", "where",
    ]
    private static let step = "  "

    public static func check(_ code: String) -> CompletenessResult {
        let cell = HaskellLexer.lex(code)
        guard let lastLine = cell.lines.lastIndex(where: { !$0.isEmpty }) else { return .complete }
        let indentation = cell.indentation(ofLine: lastLine)

        if !cell.strayCommentCloseLines.isEmpty { return .invalid }
        // A string that ran off an earlier line can no longer be closed.
        if cell.unterminatedStringLines.contains(where: { $0 < lastLine }) { return .invalid }
        guard let openBrackets = openBrackets(cell.tokens) else { return .invalid }

        if cell.openBlockComments > 0 || cell.endsInsidePragma || cell.endsInsideStringGap
            || cell.unterminatedStringLines.contains(lastLine)
        {
            return .incomplete(indent: indentation)
        }
        if let opener = openUserBlock(cell.tokens) {
            // Inside `:{` the author writes from the margin; keep whatever they use there.
            return .incomplete(indent: opener.line == lastLine ? "" : indentation)
        }
        let code = cell.tokens.filter { $0.kind != .directive }
        let layout = LayoutBlocks(code)
        let lineColumn = width(of: indentation)
        // Continuation lines go right of the innermost block's items and of the last line.
        let deeper = max(lineColumn, layout.innermost?.column ?? 0) + step.count
        if let last = code.last, last.endLine == lastLine, waitsForMore(last) {
            return .incomplete(indent: indent(to: deeper, after: indentation))
        }
        if !openBrackets.isEmpty {
            // A line in column 1 would end the declaration, even inside brackets; a line that
            // already continues one (right of its block) sets the column for the next.
            let continues = lineColumn > (layout.innermost?.column ?? 0)
            return .incomplete(indent: continues ? indentation : indent(to: deeper, after: indentation))
        }
        if awaitsThenOrElse(code) { return .incomplete(indent: indent(to: deeper, after: indentation)) }
        if let column = blockColumn(cell, lastLine: lastLine, layout: layout) {
            return .incomplete(indent: indent(to: column, after: indentation))
        }
        return .complete
    }

    /// Where the next line of a cell still inside an indented block goes, or nil when the cell
    /// is done: it ends with a blank line, or its last line is not indented under its first.
    /// The next line lines up with the innermost block's items (another statement, binding or
    /// alternative), except a `let`'s: after `let x = 1` in a `do`, the next statement is
    /// likelier than another binding.
    private static func blockColumn(_ cell: LexedCell, lastLine: Int, layout: LayoutBlocks) -> Int? {
        guard lastLine == cell.lines.count - 1,
              let firstLine = cell.lines.firstIndex(where: { !$0.isEmpty }), firstLine < lastLine
        else { return nil }
        let lineColumn = width(of: cell.indentation(ofLine: lastLine))
        guard lineColumn > width(of: cell.indentation(ofLine: firstLine)) else { return nil }
        let block = layout.open.last(where: { $0.keyword != "let" })
        return block.map(\.column) ?? lineColumn
    }

    /// `indentation`, then spaces up to display column `column` (tabs in it are kept).
    private static func indent(to column: Int, after indentation: String) -> String {
        let have = width(of: indentation)
        guard column >= have else { return String(repeating: " ", count: column) }
        return indentation + String(repeating: " ", count: column - have)
    }

    /// Display width of leading whitespace, tabs advancing to the next multiple of 8.
    private static func width(of indentation: String) -> Int {
        indentation.reduce(0) { column, c in c == "\t" ? (column / 8 + 1) * 8 : column + 1 }
    }

    /// An `if` still missing its `then` or `else`. A multi-way `if |` has neither, so it is
    /// not counted.
    private static func awaitsThenOrElse(_ code: [HaskellToken]) -> Bool {
        func count(_ word: String) -> Int { code.count { $0.is(.identifier, word) } }
        let ifs = code.indices.count { index in
            code[index].is(.identifier, "if") && !(index + 1 < code.count && code[index + 1].is(.symbol, "|"))
        }
        return ifs > count("then") || count("then") > count("else")
    }

    /// Brackets still open at the end, innermost last; nil if a closer does not match.
    private static func openBrackets(_ tokens: [HaskellToken]) -> [HaskellToken]? {
        let pairs: [String: String] = [")": "(", "]": "[", "}": "{"]
        var stack: [HaskellToken] = []
        for token in tokens where token.kind == .special {
            if token.opensBracket {
                stack.append(token)
            } else if let opener = pairs[token.text] {
                guard stack.last?.text == opener else { return nil }
                stack.removeLast()
            }
        }
        return stack
    }

    /// The user's `:{` when no `:}` follows it.
    private static func openUserBlock(_ tokens: [HaskellToken]) -> HaskellToken? {
        var opener: HaskellToken?
        for token in tokens where token.kind == .directive {
            switch token.text.trimmingWhitespace {
            case ":{": opener = token
            case ":}": opener = nil
            default: break
            }
        }
        return opener
    }

    /// A last token that cannot end a Haskell input: a layout keyword, an operator waiting for
    /// its right operand (`=`, `->`, `$`, `::`, `|`), an opening bracket or a comma.
    private static func waitsForMore(_ token: HaskellToken) -> Bool {
        switch token.kind {
        case .identifier: layoutKeywords.contains(token.text)
        case .symbol: true
        case .special: ["(", "[", "{", ","].contains(token.text)
        default: false
        }
    }
}
