import Testing
@testable import JupyterWire

@Suite struct SignatureTests {
    @Test func matchesAnIndependentHMACSHA256() {
        // Expected value produced with:
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"key",b"abcd",hashlib.sha256).hexdigest())'
        let codec = WireCodec(key: Array("key".utf8))
        #expect(codec.sign([Array("abcd".utf8)]) == "2a31ec0ee8d878c9eece9fb0df79b3b90b2256240163aa5ee50d176d3d1121f8")
        // HMAC is over the concatenation, so splitting the data into parts must not change it.
        #expect(codec.sign([Array("ab".utf8), [], Array("cd".utf8)]) == codec.sign([Array("abcd".utf8)]))
    }

    @Test func signsTheFourJSONFramesOfAMessage() {
        // Expected value produced with Python's hmac over the four frames in order:
        // h = hmac.new(b"secret-key", digestmod=hashlib.sha256); h.update(each frame); h.hexdigest()
        let codec = WireCodec(key: Array("secret-key".utf8))
        let frames = [
            #"{"msg_id":"1","msg_type":"status"}"#, "{}", "{}", #"{"execution_state":"idle"}"#,
        ].map { Array($0.utf8) }
        #expect(codec.sign(frames) == "b64afc2c9e31ce5ec0ed3774c93ffa66e80a709e6d69b883aef55a341775b1b5")
    }

    @Test func unsignedCodecSignsWithTheEmptyString() {
        #expect(WireCodec(key: []).sign([Array("abcd".utf8)]) == "")
    }
}
