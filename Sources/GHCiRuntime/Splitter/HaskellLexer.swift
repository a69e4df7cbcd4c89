/// A forgiving line-by-line Haskell lexer. It never fails: anything it does not understand
/// becomes a symbol token, because its callers only need comments, strings, brackets and
/// a rough shape of each line.
struct HaskellLexer {
    private enum State {
        case code
        case blockComment(depth: Int)
        case pragma(start: HaskellToken)
        case stringGap(start: HaskellToken)
    }

    private var result: LexedCell
    private var state = State.code

    static func lex(_ source: String) -> LexedCell {
        let lines = source.sourceLines
        var lexer = HaskellLexer(
            result: LexedCell(lines: lines, tokens: [], endsInsideLexeme: Array(repeating: false, count: lines.count)))
        for (index, line) in lines.enumerated() {
            lexer.lexLine(index, Array(line))
        }
        lexer.finish()
        return lexer.result
    }

    private mutating func finish() {
        switch state {
        case .code: break
        case .blockComment(let depth): result.openBlockComments = depth
        case .pragma(let start):
            result.endsInsidePragma = true
            result.tokens.append(start)
        case .stringGap(let start):
            result.endsInsideStringGap = true
            result.tokens.append(start)
        }
    }

    private mutating func lexLine(_ line: Int, _ chars: [Character]) {
        let columns = Self.columns(of: chars)
        var i = 0
        // GHCi commands are not Haskell: keep them whole so `--` or `{-` in them mean nothing.
        if case .code = state, chars.first == ":" {
            append(.directive, String(chars), line: line, at: 0, columns)
            return
        }
        scan: while i < chars.count {
            switch state {
            case .blockComment(let depth):
                if Self.matches(chars, i, "{-") {
                    state = .blockComment(depth: depth + 1)
                    i += 2
                } else if Self.matches(chars, i, "-}") {
                    state = depth == 1 ? .code : .blockComment(depth: depth - 1)
                    i += 2
                } else {
                    i += 1
                }
            case .pragma(var start):
                if Self.matches(chars, i, "#-}") {
                    start.text += "#-}"
                    start.endLine = line
                    result.tokens.append(start)
                    state = .code
                    i += 3
                } else {
                    start.text.append(chars[i])
                    state = .pragma(start: start)
                    i += 1
                }
            case .stringGap(var start):
                if chars[i] == "\\" {
                    start.endLine = line
                    i = scanStringBody(chars, from: i + 1, token: start)
                } else if chars[i].isWhitespace {
                    i += 1
                } else {
                    // A gap must close with `\`; treat the string as ended here.
                    result.unterminatedStringLines.append(line)
                    result.tokens.append(start)
                    state = .code
                }
            case .code:
                guard let next = lexToken(line, chars, at: i, columns) else { break scan }
                i = next
            }
        }
        switch state {
        case .code: break
        case .pragma(var start):
            start.text += "\n"
            state = .pragma(start: start)
            result.endsInsideLexeme[line] = true
        default:
            result.endsInsideLexeme[line] = true
        }
    }

    /// Lexes one token starting at `i` (or skips whitespace); returns where to go on,
    /// or nil when the rest of the line is a comment.
    private mutating func lexToken(_ line: Int, _ chars: [Character], at i: Int, _ columns: [Int]) -> Int? {
        let c = chars[i]
        if c.isWhitespace { return i + 1 }
        if Self.matches(chars, i, "{-#") {
            let start = HaskellToken(
                kind: .pragma, text: "{-#", line: line, endLine: line, column: columns[i], offset: i)
            state = .pragma(start: start)
            return i + 3
        }
        if Self.matches(chars, i, "{-") {
            state = .blockComment(depth: 1)
            return i + 2
        }
        if "()[]{},;`".contains(c) {
            append(.special, String(c), line: line, at: i, columns)
            return i + 1
        }
        if c == "\"" {
            let start = HaskellToken(kind: .string, text: "\"", line: line, endLine: line, column: columns[i], offset: i)
            return scanStringBody(chars, from: i + 1, token: start)
        }
        if c == "'" { return lexTick(line, chars, at: i, columns) }
        if Self.isIdentifierStart(c) { return lexName(line, chars, at: i, columns) }
        if c.isNumber {
            var j = i + 1
            while j < chars.count,
                Self.isIdentifierContinue(chars[j])
                    || (chars[j] == "." && j + 1 < chars.count && chars[j + 1].isNumber)
            {
                j += 1
            }
            append(.number, String(chars[i..<j]), line: line, at: i, columns)
            return j
        }
        if Self.isSymbol(c) {
            var j = i
            while j < chars.count, Self.isSymbol(chars[j]) { j += 1 }
            let run = chars[i..<j]
            // Two or more dashes and nothing else start a line comment; `-->` is an operator.
            if run.count >= 2, run.allSatisfy({ $0 == "-" }) { return nil }
            if run.last == "-", j < chars.count, chars[j] == "}" {
                result.strayCommentCloseLines.append(line)
            }
            let text = String(run)
            if text == "∀" {
                append(.identifier, "forall", line: line, at: i, columns)
            } else {
                append(.symbol, Self.unicodeSyntax[text] ?? text, line: line, at: i, columns)
            }
            return j
        }
        append(.symbol, String(c), line: line, at: i, columns)
        return i + 1
    }

    /// A quote is a character literal (`'a'`, `'\n'`, `'{'`) or a Template Haskell / promotion tick.
    private mutating func lexTick(_ line: Int, _ chars: [Character], at i: Int, _ columns: [Int]) -> Int {
        if i + 1 < chars.count, chars[i + 1] == "\\" {
            var j = i + 3
            while j < chars.count, chars[j] != "'" { j += 1 }
            if j < chars.count {
                append(.char, String(chars[i...j]), line: line, at: i, columns)
                return j + 1
            }
        } else if i + 2 < chars.count, chars[i + 2] == "'", chars[i + 1] != "'" {
            append(.char, String(chars[i...i + 2]), line: line, at: i, columns)
            return i + 3
        }
        append(.tick, "'", line: line, at: i, columns)
        return i + 1
    }

    /// Identifiers and constructors, with module qualification (`Data.Map.lookup`, `M.!`).
    private mutating func lexName(_ line: Int, _ chars: [Character], at i: Int, _ columns: [Int]) -> Int {
        var j = i
        var kind = HaskellToken.Kind.identifier
        while true {
            let segmentStart = j
            while j < chars.count, Self.isIdentifierContinue(chars[j]) { j += 1 }
            let isModule = chars[segmentStart].isUppercase
            kind = isModule ? .constructor : .identifier
            guard isModule, j + 1 < chars.count, chars[j] == "." else { break }
            if Self.isIdentifierStart(chars[j + 1]) {
                j += 1
            } else if Self.isSymbol(chars[j + 1]) {
                j += 1
                while j < chars.count, Self.isSymbol(chars[j]) { j += 1 }
                kind = .symbol
                break
            } else {
                break
            }
        }
        append(kind, String(chars[i..<j]), line: line, at: i, columns)
        return j
    }

    /// Scans a string literal from just after its opening quote (or a gap's closing `\`).
    private mutating func scanStringBody(_ chars: [Character], from start: Int, token: HaskellToken) -> Int {
        var token = token
        var i = start
        state = .code
        while i < chars.count {
            switch chars[i] {
            case "\"":
                if token.line == token.endLine { token.text = String(chars[token.offset...i]) }
                result.tokens.append(token)
                return i + 1
            case "\\" where i + 1 == chars.count || chars[i + 1].isWhitespace:
                // A string gap: `\`, whitespace (maybe newlines), `\`.
                i += 1
                while i < chars.count, chars[i].isWhitespace { i += 1 }
                if i == chars.count {
                    state = .stringGap(start: token)
                    return i
                }
                i += 1
            case "\\":
                i += 2
            default:
                i += 1
            }
        }
        // Ran off the end of the line without a closing quote or a gap.
        result.unterminatedStringLines.append(token.endLine)
        result.tokens.append(token)
        return chars.count
    }

    private mutating func append(_ kind: HaskellToken.Kind, _ text: String, line: Int, at i: Int, _ columns: [Int]) {
        result.tokens.append(HaskellToken(kind: kind, text: text, line: line, endLine: line, column: columns[i], offset: i))
    }

    /// Display column of each character; tabs stop at multiples of 8 as in the Haskell report.
    static func columns(of chars: [Character]) -> [Int] {
        var columns: [Int] = []
        columns.reserveCapacity(chars.count)
        var column = 0
        for c in chars {
            columns.append(column)
            column = c == "\t" ? (column / 8 + 1) * 8 : column + 1
        }
        return columns
    }

    private static func matches(_ chars: [Character], _ i: Int, _ text: String) -> Bool {
        var j = i
        for c in text {
            guard j < chars.count, chars[j] == c else { return false }
            j += 1
        }
        return true
    }

    static func isIdentifierStart(_ c: Character) -> Bool { c.isLetter || c == "_" }

    static func isIdentifierContinue(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "'"
    }

    /// `UnicodeSyntax`'s spellings of reserved symbols, read as their ASCII forms so a
    /// signature written `f ∷ a → a` joins its equations like `f :: a -> a`.
    static let unicodeSyntax = ["∷": "::", "→": "->", "←": "<-", "⇒": "=>", "⤙": "-<", "⤚": ">-", "★": "*"]

    static func isSymbol(_ c: Character) -> Bool {
        if c.isASCII { return "!#$%&*+./<=>?@\\^|-~:".contains(c) }
        return c.isMathSymbol || c.isCurrencySymbol || c.isSymbol || c.isPunctuation
    }
}
