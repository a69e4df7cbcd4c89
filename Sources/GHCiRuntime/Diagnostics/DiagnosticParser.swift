/// Turns the stderr GHCi printed for one chunk into diagnostic records in the
/// cell's own lines. Send chunks through `ChunkWrapper.wrap` for exact lines.
public enum DiagnosticParser {
    /// Compile errors and warnings, in the order GHC printed them.
    public static func parseCompilerOutput(
        _ stderr: String, chunkStartLine: Int, chunkLineCount: Int, cell: Int
    ) -> [Diagnostic] {
        CompilerOutputParser.parse(
            stderr, chunk: ChunkContext(cell: cell, startLine: chunkStartLine, lineCount: chunkLineCount))
    }

    /// The runtime exception, if the chunk's evaluation threw one.
    public static func parseRuntimeException(
        _ stderr: String, chunkStartLine: Int, chunkLineCount: Int, cell: Int
    ) -> Diagnostic? {
        RuntimeExceptionParser.parse(
            stderr, chunk: ChunkContext(cell: cell, startLine: chunkStartLine, lineCount: chunkLineCount))
    }

    /// Everything in one chunk's stderr: compiler messages, then the exception.
    /// Prefer this form: given the chunk text, whole-chunk spans get a real end column.
    public static func parse(_ stderr: String, chunk: ChunkContext) -> [Diagnostic] {
        var all = CompilerOutputParser.parse(stderr, chunk: chunk)
        if let exception = RuntimeExceptionParser.parse(stderr, chunk: chunk) { all.append(exception) }
        return all
    }
}
