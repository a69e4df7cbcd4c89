import InterpreterAPI

/// Decides whether Enter in a console should run the code or open another line.
///
/// Conservative by design: `incomplete` only where the code visibly waits for more (an open
/// bracket, comment, string gap or `:{`, or a last line ending in a layout keyword or an
/// operator), and `invalid` only where appending text can never help.
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
        if let last = code.last, last.endLine == lastLine, waitsForMore(last) {
            return .incomplete(indent: indentation + step)
        }
        if !openBrackets.isEmpty {
            // A line in column 1 would end the declaration, even inside brackets.
            return .incomplete(indent: indentation.isEmpty ? step : indentation)
        }
        if awaitsThenOrElse(code) { return .incomplete(indent: indentation + step) }
        return .complete
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
