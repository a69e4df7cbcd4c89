import JSONValue
import Testing
@testable import JupyterWire

private let key = Array("0f1e2d3c-secret".utf8)

private func sampleMessage() -> Message {
    let header = MessageHeader(
        msgID: "m-1", session: "s-1", username: "alice", date: "2026-11-24T23:59:01.123456Z",
        msgType: "execute_request", version: "5.3"
    )
    return Message(
        identities: [Array("client-id".utf8), [0, 1, 2]],
        header: header,
        parentHeader: [:],
        metadata: ["deletedCells": []],
        content: ["code": "main = putStrLn \"héllo\"", "silent": false, "store_history": true],
        buffers: [[0xFF, 0x00], []]
    )
}

/// Frames as a client would send them, signed with `key`, built by hand rather than by `encode`.
private func handBuiltFrames(header: String, content: String, key: [UInt8]) -> [[UInt8]] {
    let parts = [header, "{}", "{}", content].map { Array($0.utf8) }
    let signature = WireCodec(key: key).sign(parts)
    return [Array("<IDS|MSG>".utf8), Array(signature.utf8)] + parts
}

@Suite struct WireCodecTests {
    let codec = WireCodec(key: key)

    @Test func encodeThenDecodeGivesTheSameMessage() throws {
        let original = sampleMessage()
        let frames = codec.encode(original)
        #expect(frames[2] == Array("<IDS|MSG>".utf8))
        #expect(frames[3].count == 64)
        let decoded = try codec.decode(frames)
        #expect(decoded.identities == original.identities)
        #expect(decoded.header == original.header)
        #expect(decoded.parentHeader == original.parentHeader)
        #expect(decoded.metadata == original.metadata)
        #expect(decoded.content == original.content)
        #expect(decoded.buffers == original.buffers)
    }

    @Test func decodesWhatAClientBuiltByHand() throws {
        let frames = handBuiltFrames(
            header: #"{"msg_id":"abc","msg_type":"kernel_info_request","session":"s","username":"u","date":"","version":"5.3","subshell_id":null}"#,
            content: "{}", key: key
        )
        let message = try codec.decode(frames)
        #expect(message.identities.isEmpty)
        #expect(message.header.msgType == "kernel_info_request")
        #expect(message.header.extraFields == ["subshell_id": .null])
        // Unknown header fields survive when echoed back as a parent header.
        #expect(message.header.json["subshell_id"] == .null)
    }

    @Test func everyStrictPrefixFailsCleanly() {
        // Buffers are outside the signature, so a prefix that only drops buffers is still a
        // valid message; without buffers, every strict prefix must fail.
        var message = sampleMessage()
        message.buffers = []
        let frames = codec.encode(message)
        for length in 0..<frames.count {
            let prefix = Array(frames.prefix(length))
            #expect(throws: WireError.self) { try codec.decode(prefix) }
            #expect(codec.decodeHeaderLeniently(prefix) == nil)
        }
    }

    @Test func prefixesFailWithTheRightCodes() throws {
        let frames = codec.encode(sampleMessage())
        let delimiterIndex = frames.firstIndex(of: WireCodec.delimiter)!
        for length in 0...delimiterIndex {
            #expect(decodeError(Array(frames.prefix(length))) == .missingDelimiter)
        }
        for length in (delimiterIndex + 1)..<(delimiterIndex + 6) {
            #expect(decodeError(Array(frames.prefix(length))) == .tooFewFrames)
        }
    }

    @Test func aFlippedByteInAnySignedFrameIsABadSignature() {
        let frames = codec.encode(sampleMessage())
        let delimiterIndex = frames.firstIndex(of: WireCodec.delimiter)!
        for frameIndex in (delimiterIndex + 1)...(delimiterIndex + 5) {
            var corrupted = frames
            corrupted[frameIndex][corrupted[frameIndex].count / 2] ^= 0x01
            #expect(decodeError(corrupted) == .badSignature)
            #expect(codec.decodeHeaderLeniently(corrupted) == nil)
        }
    }

    @Test func aMissingOrWrongKeySignatureIsRejected() {
        var frames = codec.encode(sampleMessage())
        let signatureIndex = frames.firstIndex(of: WireCodec.delimiter)! + 1
        frames[signatureIndex] = []
        #expect(decodeError(frames) == .badSignature)

        let otherKeyFrames = WireCodec(key: Array("other".utf8)).encode(sampleMessage())
        #expect(decodeError(otherKeyFrames) == .badSignature)
        #expect(decodeError(WireCodec(key: []).encode(sampleMessage())) == .badSignature)
    }

    @Test func invalidJSONWithAValidSignatureIsBadJSON() {
        let frames = handBuiltFrames(header: #"{"msg_id":"1","msg_type":"x"}"#, content: "{not json", key: key)
        #expect(decodeError(frames) == .badJSON)
        // The header is still usable to send an error reply.
        #expect(codec.decodeHeaderLeniently(frames)?.header.msgID == "1")
    }

    @Test func headerMissingMsgTypeIsReported() {
        let frames = handBuiltFrames(header: #"{"msg_id":"1","session":"s"}"#, content: "{}", key: key)
        #expect(decodeError(frames) == .missingHeaderField)
        #expect(codec.decodeHeaderLeniently(frames) == nil)

        let noID = handBuiltFrames(header: #"{"msg_type":"x"}"#, content: "{}", key: key)
        #expect(decodeError(noID) == .missingHeaderField)
        let notObject = handBuiltFrames(header: "[]", content: "{}", key: key)
        #expect(decodeError(notObject) == .missingHeaderField)
    }

    @Test func unsignedModeSendsAnEmptySignatureAndChecksNone() throws {
        let unsigned = WireCodec(key: [])
        let frames = unsigned.encode(sampleMessage())
        let signatureIndex = frames.firstIndex(of: WireCodec.delimiter)! + 1
        #expect(frames[signatureIndex].isEmpty)
        #expect(try unsigned.decode(frames).content == sampleMessage().content)
        // Whatever signature a peer sends is ignored without a key.
        #expect(try unsigned.decode(codec.encode(sampleMessage())).header == sampleMessage().header)
    }

    @Test func lenientHeaderDecodingReturnsIdentities() {
        let frames = codec.encode(sampleMessage())
        let result = codec.decodeHeaderLeniently(frames)
        #expect(result?.identities == sampleMessage().identities)
        #expect(result?.header == sampleMessage().header)
    }

    private func decodeError(_ frames: [[UInt8]]) -> WireError.Code? {
        do {
            _ = try codec.decode(frames)
            return nil
        } catch {
            return error.code
        }
    }
}
