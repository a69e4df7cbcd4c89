/// Where one chunk sits in its cell: what the parser needs to turn GHC's
/// positions into the cell's own line numbers.
public struct ChunkContext: Equatable, Sendable {
    /// The cell's execution count; the module name is `Cell[cell]`.
    public var cell: Int
    /// 1-based line of the chunk's first line within the cell.
    public var startLine: Int
    public var lineCount: Int
    /// Length of the chunk's last line, for the end column of a whole-chunk span;
    /// unknown (nil) when the caller only gave a line count.
    public var lastLineLength: Int?

    public init(cell: Int, startLine: Int, lineCount: Int, lastLineLength: Int? = nil) {
        self.cell = cell
        self.startLine = startLine
        self.lineCount = max(1, lineCount)
        self.lastLineLength = lastLineLength
    }

    /// Built from the chunk's text, so whole-chunk spans get a real end column.
    public init(cell: Int, startLine: Int, chunkText: String) {
        let lines = chunkText.split(separator: "\n", omittingEmptySubsequences: false)
        self.init(cell: cell, startLine: startLine, lineCount: lines.count,
                  lastLineLength: lines.last.map { $0.count })
    }

    public var moduleName: String { Diagnostic.moduleName(cell: cell) }

    /// The fallback span when GHC gives no usable position: every line of the chunk.
    public var wholeChunk: SourceSpan {
        SourceSpan(startLine: startLine, startColumn: 1,
                   endLine: startLine + lineCount - 1, endColumn: max(1, lastLineLength ?? 1))
    }

    /// Maps a position GHC printed to a module and a span in that module's lines.
    func place(_ location: GHCLocation?) -> (module: String, span: SourceSpan) {
        guard let location, let span = location.span else { return (moduleName, wholeChunk) }
        guard location.file == GHCLocation.interactive else {
            // `Cell[n]` (from ChunkWrapper's LINE pragma) or a loaded file:
            // GHC's numbers are already that module's own.
            return (location.file, span)
        }
        // `<interactive>` means the chunk went to GHCi without a LINE pragma
        // (GHCi commands and imports). GHCi numbers those from 1 (9.0) or by a
        // running counter (9.6, `:cmd` queues), so trust only in-chunk numbers.
        if span.startLine >= 1, span.endLine <= lineCount {
            return (moduleName, span.shifted(by: startLine - 1))
        }
        if lineCount == 1, span.startLine == span.endLine {
            return (moduleName, SourceSpan(startLine: startLine, startColumn: span.startColumn,
                                           endLine: startLine, endColumn: span.endColumn))
        }
        return (moduleName, wholeChunk)
    }
}
