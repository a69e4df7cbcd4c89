/// A region of source text, 1-based and inclusive at both ends, the way GHC's
/// `-ferror-spans` prints it (`3:5-12` covers columns 5 through 12).
public struct SourceSpan: Equatable, Hashable, Sendable {
    public var startLine: Int
    public var startColumn: Int
    public var endLine: Int
    public var endColumn: Int

    public init(startLine: Int, startColumn: Int, endLine: Int, endColumn: Int) {
        self.startLine = startLine
        self.startColumn = startColumn
        self.endLine = endLine
        self.endColumn = endColumn
    }

    /// A span of one point, for GHC output printed without `-ferror-spans`.
    public init(line: Int, column: Int) {
        self.init(startLine: line, startColumn: column, endLine: line, endColumn: column)
    }

    /// The same span moved down by `lines`.
    func shifted(by lines: Int) -> SourceSpan {
        SourceSpan(startLine: startLine + lines, startColumn: startColumn,
                   endLine: endLine + lines, endColumn: endColumn)
    }
}
