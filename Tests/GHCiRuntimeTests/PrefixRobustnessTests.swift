@testable import GHCiRuntime
import Testing

/// A console checks completeness on every keystroke, so every prefix of a real cell must
/// split and check without trapping, and every chunk must still point at the cell's lines.
@Test(arguments: splitCases)
func everyPrefixSplitsAndChecks(_ example: SplitCase) {
    let characters = Array(example.cell)
    for end in 0...characters.count {
        let prefix = String(characters[..<end])
        _ = CompletenessChecker.check(prefix)
        let lineCount = prefix.sourceLines.count
        for chunk in CellSplitter.split(prefix) {
            #expect(chunk.startLine >= 1)
            #expect(chunk.startLine + chunk.lineCount - 1 <= lineCount)
        }
    }
}
