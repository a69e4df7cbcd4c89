/// `:quit` in a cell (or `:q`, `:qu`, `:qui`: GHCi reads any prefix of a command) ends the
/// session on purpose. The runtime answers it itself instead of sending it on: GHCi would
/// exit, which looks the same as a crash, and races the chunk's done frame.
public enum QuitCommand {
    /// True for a chunk that is `:quit` or a prefix of it. GHCi ignores arguments (a trailing
    /// `-- comment` is one) and runs a line with leading blanks as a command too; the lexer
    /// keeps only column-one lines as directives (an indented `:` line may continue Haskell
    /// code), so an indented one-line chunk counts here.
    public static func matches(_ chunk: CellChunk) -> Bool {
        let text = chunk.text.drop { $0.isWhitespace }
        guard chunk.kind == .directive || !chunk.text.contains("\n"), text.first == ":" else { return false }
        let word = text.dropFirst().prefix { !$0.isWhitespace }
        return !word.isEmpty && "quit".hasPrefix(word)
    }

    /// What the cell shows. Chunks after `:quit` do not run: a fresh session would lack what
    /// they expect from the cell's earlier chunks.
    public static func notice(restSkipped: Bool) -> String {
        "Session ended (:quit). The next cell starts a fresh GHCi session; earlier definitions are gone."
            + (restSkipped ? " The rest of this cell was not run." : "") + "\n"
    }
}
