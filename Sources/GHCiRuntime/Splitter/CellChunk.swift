/// One GHCi input cut from a notebook cell, with the cell line it came from.
public struct CellChunk: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case directive, pragma, importDecl = "import", declaration, statement, expression
    }

    public var kind: Kind
    /// The chunk's source lines joined with "\n", without trailing whitespace. Comment-only
    /// lines inside a chunk are kept so that `startLine + i` still names line `i` of `text`.
    /// For `.pragma` this is the pragma itself, `{-#` through `#-}`.
    public var text: String
    /// 1-based line of the chunk's first line within the cell.
    public var startLine: Int
    /// Number of lines in `text`.
    public var lineCount: Int
    /// For a `LANGUAGE` pragma, the extensions it names; empty otherwise.
    public var languageExtensions: [String]

    public init(
        kind: Kind, text: String, startLine: Int, lineCount: Int? = nil, languageExtensions: [String] = []
    ) {
        self.kind = kind
        self.text = text
        self.startLine = startLine
        self.lineCount = lineCount ?? text.split(separator: "\n", omittingEmptySubsequences: false).count
        self.languageExtensions = languageExtensions
    }
}
