import JSONValue
import Testing
@testable import JupyterWire

private let key = Array("reader-key".utf8)
private let headers = HeaderFactory(session: "client", username: "u")

private func request(_ code: String = "1", buffers: [[UInt8]] = []) -> Message {
    Message(identities: [Array("peer".utf8)], header: headers.make(msgType: "execute_request"),
            content: ["code": .string(code)], buffers: buffers)
}

/// A reader fed frames whole, as libzmq would hand them over; answers with the error code, nil when read.
private final class Feed {
    var reader: WireReader

    init(_ reader: WireReader) { self.reader = reader }

    func code(_ frames: [[UInt8]]) -> WireError.Code? {
        do {
            _ = try reader.read(ReceivedMessage(frames: frames))
            return nil
        } catch {
            return error.code
        }
    }
}

@Suite struct WireReaderTests {
    let codec = WireCodec(key: key)

    @Test func theSameSignedFramesAreReadOnceThenRefusedAsAReplay() throws {
        let feed = Feed(WireReader(codec: codec))
        let frames = codec.encode(request())
        #expect(try feed.reader.read(ReceivedMessage(frames: frames)).content["code"] == "1")
        #expect(feed.code(frames) == .replayed)
        // Another message from the same client is fine.
        #expect(feed.code(codec.encode(request())) == nil)
    }

    @Test func aReplayWithOtherIdentitiesOrBuffersIsStillAReplay() {
        // Neither the routing prefix nor the buffers are signed, so changing them makes no new message.
        let feed = Feed(WireReader(codec: codec))
        var frames = codec.encode(request())
        #expect(feed.code(frames) == nil)
        frames[0] = Array("someone-else".utf8)
        frames.append([1, 2, 3])
        #expect(feed.code(frames) == .replayed)
    }

    @Test func forgeriesAreNotRememberedSoTheyCannotEvictGenuineSignatures() {
        let feed = Feed(WireReader(codec: codec, historyCapacity: 2))
        let genuine = codec.encode(request())
        #expect(feed.code(genuine) == nil)
        let forger = WireCodec(key: Array("wrong".utf8))
        for _ in 0..<5 {
            #expect(feed.code(forger.encode(request())) == .badSignature)
        }
        #expect(feed.code(genuine) == .replayed)
    }

    @Test func withoutAKeyNothingIsSignedSoNothingIsTracked() {
        // As in jupyter_client: the digest history only exists when messages are signed.
        let unsigned = WireCodec(key: [])
        let feed = Feed(WireReader(codec: unsigned))
        let frames = unsigned.encode(request())
        #expect(feed.code(frames) == nil)
        #expect(feed.code(frames) == nil)
    }

    @Test func aMessageOverTheLimitIsRefusedBeforeItsSignatureIsChecked() {
        let feed = Feed(WireReader(codec: codec, maxMessageBytes: 4096))
        let big = String(repeating: "x", count: 5000)
        #expect(feed.code(codec.encode(request(big))) == .tooLarge)
        // A forged one is refused for its size too: its HMAC is never computed.
        #expect(feed.code(WireCodec(key: Array("wrong".utf8)).encode(request(big))) == .tooLarge)
        // Frames each under the limit add up: buffers count.
        let buffers = Array(repeating: [UInt8](repeating: 0, count: 1000), count: 5)
        #expect(feed.code(codec.encode(request(buffers: buffers))) == .tooLarge)
        #expect(feed.code(codec.encode(request())) == nil)
    }

    @Test func aMessageAtTheLimitIsRead() {
        let frames = codec.encode(request())
        let feed = Feed(WireReader(codec: codec, maxMessageBytes: frames.reduce(0) { $0 + $1.count }))
        #expect(feed.code(frames) == nil)
    }

    @Test func largePartsAreSignedAndCheckedInPlace() throws {
        // Parts over the joined-copy size go to the HMAC one by one; the signature must not change.
        let message = request(String(repeating: "λ", count: 100_000))
        let feed = Feed(WireReader(codec: codec))
        #expect(try feed.reader.read(ReceivedMessage(frames: codec.encode(message))).content == message.content)
        var corrupted = codec.encode(message)
        let contentIndex = corrupted.firstIndex(of: WireCodec.delimiter)! + 5
        corrupted[contentIndex][50_000] ^= 0x01
        #expect(feed.code(corrupted) == .badSignature)
    }

    @Test func malformedButSignedMessagesAreStillAnswerable() {
        let feed = Feed(WireReader(codec: codec))
        var frames = codec.encode(request())
        let signature = frames.firstIndex(of: WireCodec.delimiter)! + 1
        frames[signature + 4] = Array("{not json".utf8)
        frames[signature] = Array(codec.sign(Array(frames[(signature + 1)...(signature + 4)])).utf8)
        #expect(feed.code(frames) == .badJSON)
        #expect(codec.decodeHeaderLeniently(ReceivedMessage(frames: frames))?.identities == [Array("peer".utf8)])
    }
}

@Suite struct SignatureHistoryTests {
    private func digest(_ byte: UInt8) -> SignatureHistory.Digest {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[31] = byte
        return bytes.withUnsafeBytes { SignatureHistory.Digest($0) }
    }

    @Test func remembersUpToItsCapacityAndForgetsTheOldestFirst() {
        var history = SignatureHistory(capacity: 3)
        // 1 2 3 fill it; 2 is known; 4 pushes out 1; 1 is new again and pushes out 2; 3 and 4 are
        // known; 2 is new again.
        let inserted = [1, 2, 3, 2, 4, 1, 3, 4, 2].map { history.insert(digest($0)) }
        #expect(inserted == [true, true, true, false, true, true, false, false, true])
        #expect(history.count == 3)
    }

    @Test func theDefaultMatchesJupyterClient() {
        #expect(SignatureHistory().capacity == 65536)
    }
}

@Suite struct LogThrottleTests {
    let start = ContinuousClock.now

    @Test func oneLinePerKeyPerIntervalAndTheNextSaysHowManyWereLeftOut() {
        var throttle = LogThrottle<String>(interval: .seconds(1))
        var decisions = (0...9).map { throttle.record("a", at: start + .milliseconds(100 * $0)) }
        #expect(decisions == [.log(omitted: 0)] + Array(repeating: .omit, count: 9))
        // Keys are independent.
        decisions = [throttle.record("b", at: start + .milliseconds(500))]
        #expect(decisions == [.log(omitted: 0)])
        #expect(throttle.nextDue == start + .seconds(1))
        decisions = [throttle.record("a", at: start + .seconds(1))]
        #expect(decisions == [.log(omitted: 9)])
        #expect(throttle.nextDue == nil)
    }

    @Test func countsLeftOutAreOwedALineWhenTheFloodStops() {
        var throttle = LogThrottle<String>(interval: .seconds(1))
        for ms in [0, 10, 20] { _ = throttle.record("a", at: start + .milliseconds(ms)) }
        var owed = throttle.due(at: start + .milliseconds(999))
        #expect(owed.isEmpty)
        owed = throttle.due(at: start + .seconds(1))
        #expect(owed.map(\.key) == ["a"] && owed.map(\.omitted) == [2])
        // Paid once: nothing more is owed, and the next event falls in the new interval.
        owed = throttle.due(at: start + .seconds(5))
        #expect(owed.isEmpty)
        #expect(throttle.nextDue == nil)
        let decisions = [throttle.record("a", at: start + .milliseconds(1500)), throttle.record("a", at: start + .seconds(2))]
        #expect(decisions == [.omit, .log(omitted: 1)])
    }
}
