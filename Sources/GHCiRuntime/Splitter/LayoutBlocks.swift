/// The layout blocks (Haskell report 10.3) still open at the end of a cell, found from its
/// tokens with a simplified layout algorithm: enough to say at which column the next line
/// continues an item or starts a new one, not to parse.
struct LayoutBlocks {
    /// One implicit block: opened by `keyword`, its items start at `column`.
    struct Block: Equatable {
        var keyword: String
        /// Display column of the block's first token; an item's continuation lines go deeper.
        var column: Int
        /// Brackets open around the block: a closer at or below this depth ends it.
        var bracketDepth: Int
    }

    /// Open blocks, innermost last.
    private(set) var open: [Block] = []
    /// The layout keyword at the end of the cell, still waiting for its block's first token.
    private(set) var pendingKeyword: String?

    /// Keywords after which the next token opens an implicit block.
    static let openers: Set<String> = ["do", "mdo", "of", "let", "where", "rec"]

    init(_ tokens: [HaskellToken]) {
        var brackets = 0
        var previous: HaskellToken?
        for token in tokens where token.kind != .directive && token.kind != .pragma {
            let startsLine = previous.map { token.line > $0.endLine } ?? true
            var opened = false
            if let keyword = pendingKeyword {
                pendingKeyword = nil
                // `{` after the keyword is an explicit block; a token not right of the enclosing
                // block (the top level's is column 0) opens an empty one. Neither stays open.
                if !token.is(.special, "{") && token.column > (open.last?.column ?? 0) {
                    open.append(Block(keyword: keyword, column: token.column, bracketDepth: brackets))
                    opened = true
                }
            }
            if startsLine && !opened {
                // A line starting left of a block ends it.
                while let innermost = open.last, token.column < innermost.column { open.removeLast() }
            }
            if token.opensBracket {
                brackets += 1
            } else if token.closesBracket {
                brackets = max(0, brackets - 1)
                while let innermost = open.last, innermost.bracketDepth > brackets { open.removeLast() }
            } else if token.is(.identifier, "in"), open.last?.keyword == "let" {
                open.removeLast()
            } else if token.kind == .identifier && Self.openers.contains(token.text) {
                pendingKeyword = token.text
            } else if token.is(.identifier, "case"), previous?.is(.symbol, "\\") == true {
                // `\case` (LambdaCase) takes its alternatives as a block, like `of`.
                pendingKeyword = "of"
            }
            previous = token
        }
    }

    /// The innermost open block.
    var innermost: Block? { open.last }
}
