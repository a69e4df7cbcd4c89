@testable import GHCiRuntime
import Testing

/// One row of the splitter table: a cell as people write it and the chunks it must become.
struct SplitCase: Sendable, CustomTestStringConvertible {
    var name: String
    var cell: String
    var chunks: [CellChunk]

    init(_ name: String, _ cell: String, _ chunks: [CellChunk]) {
        self.name = name
        self.cell = cell
        self.chunks = chunks
    }

    var testDescription: String { name }
}

/// Builds an expected chunk; `lines` joins the text so tables read like the cell.
func chunk(_ kind: CellChunk.Kind, _ startLine: Int, _ lines: String..., extensions: [String] = []) -> CellChunk {
    CellChunk(kind: kind, text: lines.joined(separator: "\n"), startLine: startLine, languageExtensions: extensions)
}

/// Builds a cell from its lines.
func cell(_ lines: String...) -> String { lines.joined(separator: "\n") }
