/// Serializes `JSON` into compact UTF-8 bytes; callers that stream their own structure
/// (log lines) use `write(string:)` and `append(punctuation:)` on the same buffer.
///
/// Strings are copied in runs between the bytes that need escaping, so large outputs
/// (a cell printing 100 KB) cost a few bulk appends rather than one append per byte.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ value: JSON) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): append(String(number))
        case .double(let number): writeDouble(number)
        case .string(let text): write(string: text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            // Sorted keys make the output, and therefore signatures in tests, deterministic.
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(string: key)
                bytes.append(UInt8(ascii: ":"))
                write(members[key]!)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// JSON has no NaN or infinity; null is what most encoders emit instead.
    private mutating func writeDouble(_ number: Double) {
        guard number.isFinite else { return append("null") }
        // Swift's description is the shortest text that round-trips, e.g. "0.1", "1e+20".
        append(number.description)
    }

    /// A JSON string literal, quoted and escaped.
    public mutating func write(string text: String) {
        var text = text
        text.withUTF8 { utf8 in writeEscaped(utf8) }
    }

    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.reserveCapacity(bytes.count + utf8.count + 2)
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(for: byte)
                runStart = index + 1
            } else if byte == 0xC2 || byte == 0xE2, let lineBreak = Self.unicodeLineBreak(in: utf8, at: index) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendUnicodeEscape(lineBreak.scalar)
                runStart = index + lineBreak.length
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// U+0085, U+2028 or U+2029 starting at `index`: valid raw in JSON, but line breaks to
    /// JavaScript and to Unicode-aware line splitting (Python's `splitlines`), which would cut a
    /// JSON-lines log in two.
    private static func unicodeLineBreak(
        in utf8: UnsafeBufferPointer<UInt8>, at index: Int
    ) -> (scalar: UInt16, length: Int)? {
        if utf8[index] == 0xC2, index + 1 < utf8.count, utf8[index + 1] == 0x85 { return (0x0085, 2) }
        guard utf8[index] == 0xE2, index + 2 < utf8.count, utf8[index + 1] == 0x80 else { return nil }
        switch utf8[index + 2] {
        case 0xA8: return (0x2028, 3)
        case 0xA9: return (0x2029, 3)
        default: return nil
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends byte by byte: going through a String per escape doubled the cost of
    /// newline-heavy output.
    private mutating func appendEscape(for byte: UInt8) {
        let letter: UInt8
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): letter = byte
        case 0x0A: letter = UInt8(ascii: "n")
        case 0x0D: letter = UInt8(ascii: "r")
        case 0x09: letter = UInt8(ascii: "t")
        case 0x08: letter = UInt8(ascii: "b")
        case 0x0C: letter = UInt8(ascii: "f")
        default: return appendUnicodeEscape(UInt16(byte))
        }
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(letter)
    }

    /// `\uXXXX`, lowercase hex.
    private mutating func appendUnicodeEscape(_ code: UInt16) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        bytes.append(Self.hexDigits[Int(code >> 12)])
        bytes.append(Self.hexDigits[Int((code >> 8) & 0x0F)])
        bytes.append(Self.hexDigits[Int((code >> 4) & 0x0F)])
        bytes.append(Self.hexDigits[Int(code & 0x0F)])
    }

    /// Structural ASCII (`{`, `,`, `"key":` the caller has already escaped) copied as is.
    public mutating func append(punctuation text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
