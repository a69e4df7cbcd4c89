import Testing
@testable import JSONValue

private func parse(_ text: String) throws(JSONSyntaxError) -> JSON {
    try JSON.parse(Array(text.utf8))
}

@Suite struct JSONParsingTests {
    @Test func scalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse(#""hi""#) == .string("hi"))
        #expect(try parse(" \n\t 42 \r\n") == .int(42))
    }

    @Test func integersStayIntegersAndOthersBecomeDoubles() throws {
        #expect(try parse("0") == .int(0))
        #expect(try parse("-17") == .int(-17))
        #expect(try parse("9223372036854775807") == .int(Int.max))
        #expect(try parse("-9223372036854775808") == .int(Int.min))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808.0))
        #expect(try parse("1.5") == .double(1.5))
        #expect(try parse("-0.25e2") == .double(-25))
        #expect(try parse("1E3") == .double(1000))
        #expect(try parse("2e-1") == .double(0.2))
    }

    @Test func nestedContainers() throws {
        let value = try parse(#"{"a": [1, {"b": null}, []], "c": {}, "d": "x"}"#)
        #expect(value == ["a": [1, ["b": nil], []], "c": [:], "d": "x"])
        #expect(value["a"]?.arrayValue?.count == 3)
        #expect(value["c"]?.objectValue?.isEmpty == true)
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        #expect(try parse(#"{"k": 1, "k": 2}"#) == ["k": 2])
    }

    @Test func simpleEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
    }

    @Test func unicodeEscapesIncludingSurrogatePairs() throws {
        #expect(try parse(#""\u00e9\u4e2D""#) == .string("é中"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try parse(#""\ude00x""#) == .string("\u{FFFD}x"))
        #expect(try parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func rawUTF8PassesThrough() throws {
        #expect(try parse("\"naïve 🦀 λ\"") == .string("naïve 🦀 λ"))
    }

    @Test(arguments: [
        "", " ", "nul", "tru", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "'x'",
        "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12G4\"", "\"tab\there\"",
        "01", "-", "1.", ".5", "1e", "1e+", "+1", "NaN", "Infinity", "[", "{", "]", "1 2", "{}x",
    ])
    func invalidJSONIsRejected(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }

    @Test func deepNestingIsRejectedInsteadOfOverflowingTheStack() throws {
        let limit = JSONParser.maximumDepth
        let fine = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try parse(fine).arrayValue != nil)
        let tooDeep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try parse(tooDeep) }
    }

    @Test func parsesNonContiguousCollections() throws {
        let bytes = Array("[true]".utf8).lazy.map { $0 }
        #expect(try JSON.parse(bytes) == [true])
    }
}
