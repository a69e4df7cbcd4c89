import Foundation

/// Turns a chunk into the exact GHCi input that runs it.
enum ChunkInput {
    /// Directives that only read the session: no need to re-make the runtime's definitions after them.
    static let readOnlyDirectives: Set<String> = [
        "t", "type", "i", "info", "k", "kind", "doc", "browse", "show", "complete", "print", "sprint", "force", "?", "help",
    ]

    /// Code goes in a `:{ :}` block behind a LINE pragma naming the cell, so GHC reports
    /// `Cell[7]:3:5` in the cell's own lines (see `ChunkWrapper`). An import of a display
    /// library among `displays` is followed by its instance module's (`DisplayImports`).
    static func text(for chunk: CellChunk, cell: Int, displays: [DisplayLibrary] = []) -> String {
        let input = plainText(for: chunk, cell: cell)
        let imports = DisplayImports.lines(for: chunk, available: displays)
        return imports.isEmpty ? input : ([input] + imports).joined(separator: "\n")
    }

    private static func plainText(for chunk: CellChunk, cell: Int) -> String {
        switch chunk.kind {
        case .pragma:
            if !chunk.languageExtensions.isEmpty {
                return ":set " + chunk.languageExtensions.map { "-X\($0)" }.joined(separator: " ")
            }
            return optionsPragma(chunk.text).map { ":set \($0)" } ?? ""
        case let kind where [.expression, .statement, .importDecl, .directive].contains(kind) && !chunk.text.utf8.contains(UInt8(ascii: "\n")):
            // One line needs no LINE pragma: the parser maps `<interactive>` positions of a
            // one-line chunk to its cell line, and GHCi runs a plain line fastest.
            return chunk.text
        default:
            // Declarations keep the pragma even on one line, so call stacks into them
            // later name this cell.
            return ChunkWrapper.wrap(chunk.text, startLine: chunk.startLine, cell: cell)
        }
    }

    /// True when the runtime must re-make its definitions after this chunk.
    static func needsReboot(_ chunk: CellChunk) -> Bool {
        guard chunk.kind == .directive else { return false }
        let word = chunk.text.dropFirst().prefix { !$0.isWhitespace }
        return !readOnlyDirectives.contains(String(word))
    }

    /// `{-# OPTIONS_GHC -Wall #-}` → `-Wall`.
    static func optionsPragma(_ text: String) -> String? {
        guard let open = text.range(of: "OPTIONS_GHC"), let close = text.range(of: "#-}") else { return nil }
        let options = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return options.isEmpty ? nil : options
    }
}
