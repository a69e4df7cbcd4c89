/// The instance imports a chunk calls for: when a chunk imports a module of a display
/// library (`import Graphics.Rendering.Chart.Easy`, `:module + Data.Aeson`), the library's
/// instance module goes into the same GHCi input, so its values show richly from then on.
///
/// It looks at the chunk alone. Directives that reset GHCi's imports (`:load`, `:module`)
/// drop the instance module with the library's own modules, and the cell that imports
/// the library again brings both back.
enum DisplayImports {
    /// The lines to run after the chunk, one per library it imports a module of.
    static func lines(for chunk: CellChunk, available: [DisplayLibrary]) -> [String] {
        guard !available.isEmpty else { return [] }
        let modules = importedModules(chunk)
        return available.filter { library in modules.contains { library.covers(module: $0) } }.map(\.importLine)
    }

    /// The modules a chunk brings into scope: an import declaration's module, or those a
    /// `:module` (`:m`) directive adds.
    static func importedModules(_ chunk: CellChunk) -> [String] {
        switch chunk.kind {
        case .importDecl:
            // `import qualified "pkg" {-# SOURCE #-} safe M as N (..)`: the first constructor is the module.
            let tokens = HaskellLexer.lex(chunk.text).tokens.drop { !$0.is(.identifier, "import") }.dropFirst()
            return tokens.first { $0.kind == .constructor }.map { [$0.text] } ?? []
        case .directive:
            return addedModules(chunk.text)
        default:
            return []
        }
    }

    /// `:m + A *B` and `:module A` add A and B; `:m - A` removes. GHCi takes any prefix of
    /// `module` for the command.
    private static func addedModules(_ text: String) -> [String] {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard let command = words.first, command.count > 1, "module".hasPrefix(command.dropFirst()) else { return [] }
        let rest = words.dropFirst()
        if rest.first?.hasPrefix("-") == true { return [] }
        return rest.map { String($0.drop { $0 == "+" || $0 == "*" }) }.filter { !$0.isEmpty }
    }
}
