/// Builds the exact GHCi input for one chunk so that GHC reports positions in
/// the cell's own numbering, with the cell as the file name.
///
/// GHCi numbers `<interactive>` lines by a running counter of the lines it read
/// from stdin; lines queued by `:cmd` do not advance it, and a `:{ :}` block is
/// numbered backwards from that counter. Neither is something a driver can
/// predict, so every Haskell chunk instead starts with a LINE pragma:
///
///     :{
///     {-# LINE 3 "Cell[7]" #-}
///     <chunk lines>
///     :}
///
/// GHC then names the chunk's first line `Cell[7]:3`, in compile errors, in
/// `error` call stacks and in pattern-match failures, on GHC 9.0 and 9.6, fed
/// through stdin or `:cmd` alike.
public enum ChunkWrapper {
    /// The input to send for `chunk` (no trailing newline; the driver adds one).
    /// `startLine` is the chunk's first line in the cell, counting from 1.
    public static func wrap(_ chunk: String, startLine: Int, cell: Int) -> String {
        let body = chunk.hasSuffix("\n") ? String(chunk.dropLast()) : chunk
        guard takesLinePragma(body) else {
            // GHCi commands must start the input; GHCi numbers them from line 1
            // and the parser maps such `<interactive>` positions chunk-relative.
            return body.contains("\n") ? ":{\n\(body)\n:}" : body
        }
        return ":{\n\(linePragma(startLine: startLine, cell: cell))\n\(body)\n:}"
    }

    /// `{-# LINE 3 "Cell[7]" #-}`: the next line is line 3 of file `Cell[7]`.
    public static func linePragma(startLine: Int, cell: Int) -> String {
        "{-# LINE \(startLine) \"\(Diagnostic.moduleName(cell: cell))\" #-}"
    }

    /// A chunk whose first non-blank line is a GHCi command (`:type`, `:set`, ...)
    /// cannot have anything in front of it.
    static func takesLinePragma(_ chunk: String) -> Bool {
        let firstLine = chunk.split(separator: "\n").first { !$0.allSatisfy(\.isWhitespace) }
        guard let firstLine else { return false }
        return !firstLine.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(":")
    }
}
