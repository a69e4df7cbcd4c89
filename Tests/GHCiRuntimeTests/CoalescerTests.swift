import Testing
@testable import GHCiRuntime

/// Halves and quarters of a second keep the arithmetic exact.
private let t0 = ContinuousClock.now

private func coalescer(interval: Duration = .seconds(0.5), settle: Duration = .seconds(0.25), limit: Int = 1 << 20) -> Coalescer {
    var c = Coalescer()
    c.interval = interval
    c.settle = settle
    c.limit = limit
    return c
}

@Suite struct CoalescerTests {
    @Test func nothingPendingIsNeverDue() {
        var c = coalescer()
        #expect(c.isEmpty)
        #expect(c.due(now: t0) == nil)
        #expect(c.take(now: t0) == nil)
    }

    @Test func firstBytesWaitTheSettleTimeFromTheirArrival() {
        var c = coalescer()
        c.append(Array("par".utf8), now: t0)
        #expect(c.due(now: t0) == .seconds(0.25))
        // A later piece of the same line does not move the settle time on.
        c.append(Array("t\n".utf8), now: t0 + .seconds(0.125))
        #expect(c.due(now: t0 + .seconds(0.125)) == .seconds(0.125))
        #expect(c.due(now: t0 + .seconds(0.25)) == .zero)
        #expect(c.take(now: t0 + .seconds(0.25)) == "part\n")
        #expect(c.isEmpty)
    }

    @Test func bytesAfterAFlushWaitForTheInterval() {
        var c = coalescer()
        c.append(Array("a".utf8), now: t0)
        #expect(c.take(now: t0 + .seconds(0.25)) == "a")
        c.append(Array("b".utf8), now: t0 + .seconds(0.25))
        // Settle says t0 + .seconds(0.5), the interval says t0 + .seconds(0.75): the later one wins.
        #expect(c.due(now: t0 + .seconds(0.25)) == .seconds(0.5))
        #expect(c.due(now: t0 + .seconds(0.5)) == .seconds(0.25))
        #expect(c.due(now: t0 + .seconds(0.75)) == .zero)
    }

    @Test func reachingTheLimitMakesBytesDueAtOnce() {
        var c = coalescer(limit: 4)
        c.append(Array("a".utf8), now: t0)
        #expect(c.take(now: t0) == "a")
        c.append(Array("bcd".utf8), now: t0)
        #expect(c.due(now: t0) == .seconds(0.5))
        c.append(Array("e".utf8), now: t0)
        #expect(c.due(now: t0) == .zero)
        #expect(c.take(now: t0) == "bcde")
    }

    @Test func aCharacterSplitAcrossReadsLeavesWhole() {
        var c = coalescer()
        let e = Array("é".utf8)  // C3 A9
        c.append(Array("caf".utf8) + [e[0]], now: t0)
        #expect(c.take(now: t0 + .seconds(0.25)) == "caf")
        #expect(!c.isEmpty)
        // Only the lead byte pends: nothing whole to take yet.
        #expect(c.take(now: t0 + .seconds(1)) == nil)
        c.append([e[1]] + Array("!".utf8), now: t0 + .seconds(1))
        #expect(c.take(now: t0 + .seconds(2)) == "é!")
        #expect(c.isEmpty)
    }

    @Test func everyCutOfAFourByteCharacterIsHeldBack() {
        let smile = Array("😀".utf8)
        for cut in 1..<smile.count {
            var c = coalescer()
            c.append(Array("x".utf8) + smile[..<cut], now: t0)
            #expect(c.take(now: t0 + .seconds(1)) == "x", "cut after \(cut) bytes")
            c.append(Array(smile[cut...]), now: t0 + .seconds(1))
            #expect(c.take(now: t0 + .seconds(2)) == "😀", "cut after \(cut) bytes")
        }
    }

    @Test func forceTakesAnIncompleteCharacterToo() {
        var c = coalescer()
        c.append(Array("a".utf8) + [0xE2, 0x82], now: t0)
        #expect(c.take(now: t0, force: true) == "a\u{FFFD}")
        #expect(c.isEmpty)
    }
}
