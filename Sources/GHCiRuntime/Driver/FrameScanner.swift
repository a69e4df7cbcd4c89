/// Splits one of GHCi's output streams into bytes and the runtime's frames
/// (`RS nonce : name \n`); among them `{` and `}`, which enclose what GHCi itself
/// wrote (`RuntimeModule`), so the bytes outside them are the cell's own. Bytes that might be the start of a
/// frame are held back until the rest arrives, so a frame split across two
/// reads is still found, and text that only looks like one is passed on.
struct FrameScanner {
    enum Piece: Equatable {
        case text([UInt8])
        case frame(String)
    }

    private let prefix: [UInt8]
    private var pending: [UInt8] = []

    init(tag: SessionTag) {
        prefix = Array(tag.prefix.utf8)
    }

    /// Feeds bytes; returns the pieces that are complete.
    mutating func feed(_ bytes: [UInt8]) -> [Piece] {
        pending += bytes
        var pieces: [Piece] = []
        var textStart = 0
        var i = 0
        while i < pending.count {
            guard pending[i] == 0x1e else { i += 1; continue }
            switch matchFrame(at: i) {
            case .incomplete:
                appendText(pending[textStart..<i], to: &pieces)
                pending.removeSubrange(0..<i)
                return pieces
            case .noFrame:
                i += 1
            case .frame(let name, let end):
                appendText(pending[textStart..<i], to: &pieces)
                pieces.append(.frame(name))
                i = end
                textStart = end
            }
        }
        appendText(pending[textStart...], to: &pieces)
        pending.removeAll(keepingCapacity: true)
        return pieces
    }

    /// Whatever is still held back (at end of stream it is plain text).
    mutating func drain() -> [UInt8] {
        defer { pending.removeAll() }
        return pending
    }

    private enum Match { case incomplete, noFrame, frame(String, end: Int) }

    private func matchFrame(at start: Int) -> Match {
        var j = 0
        while j < prefix.count {
            guard start + j < pending.count else { return .incomplete }
            if pending[start + j] != prefix[j] { return .noFrame }
            j += 1
        }
        var k = start + prefix.count
        let nameStart = k
        while k < pending.count {
            if pending[k] == 0x0a {
                return .frame(String(decoding: pending[nameStart..<k], as: UTF8.self), end: k + 1)
            }
            if k - nameStart > 32 { return .noFrame }
            k += 1
        }
        return .incomplete
    }

    private func appendText(_ slice: ArraySlice<UInt8>, to pieces: inout [Piece]) {
        if !slice.isEmpty { pieces.append(.text(Array(slice))) }
    }
}
