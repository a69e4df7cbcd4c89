/// Gathers a stream's bytes so a flood goes out as a bounded number of
/// messages: bytes leave `settle` after the first of them arrived (so a line
/// written in pieces stays one message), at most every `interval`, or at once
/// when `limit` bytes are waiting. Incomplete UTF-8 at the end is held back.
struct Coalescer {
    var interval: Duration = .milliseconds(20)
    var settle: Duration = .milliseconds(3)
    var limit = 256 * 1024
    private var pending: [UInt8] = []
    /// nil until the first flush: the first bytes wait only for `settle`.
    private var lastFlush: ContinuousClock.Instant?
    private var firstPending = ContinuousClock.now

    var isEmpty: Bool { pending.isEmpty }

    /// `now`: when the bytes arrived (a parameter so tests can set the clock).
    mutating func append(_ bytes: [UInt8], now: ContinuousClock.Instant = .now) {
        if pending.isEmpty { firstPending = now }
        pending += bytes
    }

    /// How long until the pending bytes are due (zero if due now, nil if nothing pends).
    func due(now: ContinuousClock.Instant) -> Duration? {
        guard !pending.isEmpty else { return nil }
        if pending.count >= limit { return .zero }
        let settled = now.duration(to: firstPending + settle)
        guard let lastFlush else { return max(.zero, settled) }
        return max(.zero, now.duration(to: lastFlush + interval), settled)
    }

    /// Takes the bytes that form whole UTF-8 characters; `force` takes everything.
    mutating func take(now: ContinuousClock.Instant, force: Bool = false) -> String? {
        guard !pending.isEmpty else { return nil }
        let cut = force ? pending.count : Self.completeUTF8Prefix(pending)
        guard cut > 0 else { return nil }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeSubrange(..<cut)
        lastFlush = now
        return text
    }

    /// Length of the longest prefix that does not end inside a multi-byte character.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var i = bytes.count - 1
        var back = 0
        while i >= 0 && back < 4 {
            let b = bytes[i]
            if b & 0xC0 != 0x80 {
                let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return back + 1 >= need ? bytes.count : i
            }
            i -= 1
            back += 1
        }
        return bytes.count
    }
}
