/// `:quit` in a cell (or `:q`, `:qu`, `:qui`: GHCi reads any prefix of a command) ends the
/// session on purpose. The runtime answers it itself instead of sending it on: GHCi would
/// exit, which looks the same as a crash, and races the chunk's done frame.
public enum QuitCommand {
    /// True for a directive chunk that is `:quit` or a prefix of it (GHCi ignores arguments).
    public static func matches(_ chunk: CellChunk) -> Bool {
        guard chunk.kind == .directive, chunk.text.first == ":" else { return false }
        let word = chunk.text.dropFirst().prefix { !$0.isWhitespace }
        return !word.isEmpty && "quit".hasPrefix(word)
    }

    /// What the cell shows. Chunks after `:quit` do not run: a fresh session would lack what
    /// they expect from the cell's earlier chunks.
    public static func notice(restSkipped: Bool) -> String {
        "Session ended (:quit). The next cell starts a fresh GHCi session; earlier definitions are gone."
            + (restSkipped ? " The rest of this cell was not run." : "") + "\n"
    }
}
