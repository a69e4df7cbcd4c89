/// A cell cut into lines and tokens, plus the lexical state left open at its end.
struct LexedCell: Sendable {
    /// Source lines without line terminators or trailing whitespace.
    var lines: [String]
    var tokens: [HaskellToken]
    /// For each line, whether a comment, pragma or string gap is still open at its end.
    var endsInsideLexeme: [Bool]
    /// Nesting depth of `{-` comments still open at the end.
    var openBlockComments = 0
    var endsInsidePragma = false
    var endsInsideStringGap = false
    /// 0-based lines where a string literal ran into the end of the line without a gap.
    var unterminatedStringLines: [Int] = []
    /// 0-based lines holding a `-}` outside any comment.
    var strayCommentCloseLines: [Int] = []

    /// Leading whitespace of a line, kept as written (tabs stay tabs).
    func indentation(ofLine line: Int) -> String {
        String(lines[line].prefix { $0 == " " || $0 == "\t" })
    }
}
