/// A lexeme of Haskell source: just enough to find chunk boundaries and brackets.
struct HaskellToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// `foo`, `M.foo`, and keywords.
        case identifier
        /// `Foo`, `M.Foo`.
        case constructor
        /// Operators and reserved operators: `+`, `=`, `->`, `::`, `M.!`.
        case symbol
        /// `(` `)` `[` `]` `{` `}` `,` `;` and the backtick.
        case special
        case string, char, number
        /// A Template Haskell or promotion tick: `'Just`, `''Maybe`.
        case tick
        /// `{-# ... #-}`, possibly over several lines.
        case pragma
        /// A whole GHCi command line starting with `:` in column 1.
        case directive
    }

    var kind: Kind
    var text: String
    /// 0-based line where the token starts.
    var line: Int
    /// 0-based line where the token ends; differs from `line` for pragmas and gapped strings.
    var endLine: Int
    /// Display column, tabs advancing to the next multiple of 8 as in the Haskell report.
    var column: Int
    /// Character offset of the token in its first line.
    var offset: Int

    func `is`(_ kind: Kind, _ text: String) -> Bool { self.kind == kind && self.text == text }

    var isKeyword: Bool { kind == .identifier && HaskellToken.keywords.contains(text) }

    /// `(`, `[` or `{`. Compared by hand: `"([{".contains(text)` is Foundation's substring
    /// search, which was a third of splitting a one-token cell.
    var opensBracket: Bool { kind == .special && (text == "(" || text == "[" || text == "{") }
    /// `)`, `]` or `}`.
    var closesBracket: Bool { kind == .special && (text == ")" || text == "]" || text == "}") }

    static let keywords: Set<String> = [
        "case", "class", "data", "default", "deriving", "do", "else", "foreign", "if", "import", "in",
        "infix", "infixl", "infixr", "instance", "let", "mdo", "module", "newtype", "of", "proc", "rec",
        "then", "type", "where",
    ]
}
