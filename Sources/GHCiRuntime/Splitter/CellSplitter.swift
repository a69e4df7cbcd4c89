/// Cuts a notebook cell into the GHCi inputs a Haskell author means, in order, keeping
/// each input's line numbers within the cell.
///
/// A chunk starts at a line in the left margin that is not blank, a comment or a
/// continuation keyword; indented lines belong to the chunk above. Consecutive declarations
/// are grouped (see `DeclarationGroup`); everything else is one chunk per unit.
public enum CellSplitter {
    public static func split(_ cell: String) -> [CellChunk] {
        let lexed = HaskellLexer.lex(cell)
        var chunks: [CellChunk] = []
        var group: DeclarationGroup?
        for unit in SourceUnit.units(of: lexed) {
            if let current = group, current.admits(unit) {
                group?.add(unit)
                continue
            }
            if let current = group { chunks.append(chunk(current.units, kind: current.kind, in: lexed)) }
            group = nil
            if case .declaration = unit.shape, !unit.isUserBlock {
                group = DeclarationGroup(unit)
            } else {
                chunks.append(chunk(unit, in: lexed))
            }
        }
        if let group { chunks.append(chunk(group.units, kind: group.kind, in: lexed)) }
        return chunks
    }

    private static func chunk(_ unit: SourceUnit, in cell: LexedCell) -> CellChunk {
        guard unit.shape == .pragma else { return chunk([unit], kind: unit.shape.chunkKind, in: cell) }
        let pragma = cell.tokens[unit.tokens.lowerBound]
        return CellChunk(
            kind: .pragma, text: pragma.text, startLine: pragma.line + 1, lineCount: pragma.endLine - pragma.line + 1,
            languageExtensions: Pragma.languageExtensions(pragma.text))
    }

    private static func chunk(_ units: [SourceUnit], kind: CellChunk.Kind, in cell: LexedCell) -> CellChunk {
        let first = units[0]
        let last = units.map(\.lastLine).max() ?? first.lastLine
        var lines = Array(cell.lines[first.firstLine...last])
        lines[0] = String(lines[0].dropFirst(first.startOffset))
        return CellChunk(
            kind: kind, text: lines.joined(separator: "\n"), startLine: first.firstLine + 1, lineCount: lines.count)
    }
}
