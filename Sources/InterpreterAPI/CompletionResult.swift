/// Candidates for the text before the cursor, replacing `cursorStart..<cursorEnd` (code points).
public struct CompletionResult: Sendable {
    public var matches: [String]
    public var cursorStart: Int
    public var cursorEnd: Int

    public init(matches: [String], cursorStart: Int, cursorEnd: Int) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
    }
}
