import Testing
@testable import GHCiRuntime

private let tag = SessionTag(nonce: "0123456789abcdef0123456789abcdef")
private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

@Test func scannerSeparatesTextAndFrames() {
    var scanner = FrameScanner(tag: tag)
    let pieces = scanner.feed(bytes("hello\n\(tag.prefix)done\nafter"))
    #expect(pieces == [.text(bytes("hello\n")), .frame("done"), .text(bytes("after"))])
}

@Test func scannerFindsAFrameSplitAcrossReads() {
    let whole = bytes("ab\(tag.prefix)result{\nxyz")
    for cut in 0...whole.count {
        var scanner = FrameScanner(tag: tag)
        let pieces = scanner.feed(Array(whole[..<cut])) + scanner.feed(Array(whole[cut...]))
        var text: [UInt8] = []
        var frames: [String] = []
        for piece in pieces {
            switch piece {
            case .text(let t): text += t
            case .frame(let f): frames.append(f)
            }
        }
        #expect(frames == ["result{"], "cut at \(cut)")
        #expect(text == bytes("abxyz"), "cut at \(cut)")
    }
}

@Test func scannerPassesOnLookalikesWithTheWrongNonce() {
    var scanner = FrameScanner(tag: tag)
    let fake = "\u{1e}ffffffffffffffffffffffffffffffff:done\n"
    let pieces = scanner.feed(bytes(fake))
    #expect(pieces == [.text(bytes(fake))])
}

@Test func scannerHoldsAnUnfinishedPrefixUntilDrained() {
    var scanner = FrameScanner(tag: tag)
    #expect(scanner.feed(bytes("x\u{1e}0123")) == [.text(bytes("x"))])
    #expect(scanner.drain() == bytes("\u{1e}0123"))
}
