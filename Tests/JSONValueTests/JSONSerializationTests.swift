import Testing
@testable import JSONValue

private func text(_ value: JSON) -> String {
    String(decoding: value.serialized(), as: UTF8.self)
}

@Suite struct JSONSerializationTests {
    @Test func compactWithSortedKeys() {
        let value: JSON = ["status": "ok", "execution_count": 3, "a": [1, 2.5, true, nil], "b": [:]]
        #expect(text(value) == #"{"a":[1,2.5,true,null],"b":{},"execution_count":3,"status":"ok"}"#)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let value: JSON = .string("q\"b\\n\nr\rt\tb\u{8}f\u{C}z\u{0}e\u{1B}d\u{7F}")
        #expect(text(value) == #""q\"b\\n\nr\rt\tb\bf\fz\u0000e\u001bd\#u{7F}""#)
    }

    @Test func nonASCIIStaysRawUTF8() {
        #expect(text("é😀") == "\"é😀\"")
    }

    @Test func unicodeLineBreaksAreEscapedSoJSONLinesStayOneLinePerValue() throws {
        // Neighbours that share the lead byte (… U+2026, → U+2192, U+00A0) stay raw.
        let value: JSON = .string("a\u{2028}b\u{2029}c\u{85}d…→\u{A0}\u{2028}")
        let bytes = value.serialized()
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\u2028b\u2029c\u0085d…→\#u{A0}\u2028""#)
        #expect(try JSON.parse(bytes) == value)
    }

    @Test func numbers() {
        #expect(text(.int(-42)) == "-42")
        #expect(text(.int(Int.min)) == "-9223372036854775808")
        #expect(text(.double(0.1)) == "0.1")
        #expect(text(.double(1e20)) == "1e+20")
        #expect(text(.double(.nan)) == "null")
        #expect(text(.double(.infinity)) == "null")
    }

    @Test(arguments: [
        JSON.null, true, 0, -1, 3.25, 1e-300, "", "plain", "\u{0}\u{1F}\"\\/", "😀 \u{2028} é",
        [], [:], [[[]]], ["k": ["nested": [1, "two", ["three": nil]]]],
        ["": "empty key", "ключ": "юникод", "\n": "newline key"],
    ])
    func roundTrips(_ value: JSON) throws {
        #expect(try JSON.parse(value.serialized()) == value)
    }

    @Test func largeStringsRoundTrip() throws {
        let big = String(repeating: "line of output with a \"quote\" and a tab\t\n", count: 2_500)
        let value: JSON = ["name": "stdout", "text": .string(big)]
        let bytes = value.serialized()
        #expect(bytes.count > 100_000)
        #expect(try JSON.parse(bytes) == value)
    }

    @Test func accessorsReturnNilForOtherKinds() {
        let value: JSON = ["n": 1, "s": "x", "b": false, "d": 1.5]
        #expect(value["n"]?.intValue == 1)
        #expect(value["n"]?.stringValue == nil)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == false)
        #expect(value["d"]?.doubleValue == 1.5)
        #expect(value["n"]?.doubleValue == 1.0)
        #expect(value["missing"] == nil)
        #expect(JSON.string("x")["key"] == nil)
        #expect(JSON.array([]).objectValue == nil)
    }
}
