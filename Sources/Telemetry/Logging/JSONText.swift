import Logging

/// JSON spelling of strings and swift-log metadata values, appended to a byte buffer
/// (a log line is built in one buffer: a `String` per field cost a third of a cell's log line).
enum JSONText {
    /// `"..."` with quotes, backslashes, control characters and U+2028/U+2029 escaped.
    static func append(string raw: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var raw = raw
        raw.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                func escaped(_ letter: Unicode.Scalar) {
                    out.append(UInt8(ascii: "\\"))
                    out.append(UInt8(ascii: letter))
                }
                switch byte {
                case UInt8(ascii: "\""): escaped("\"")
                case UInt8(ascii: "\\"): escaped("\\")
                case UInt8(ascii: "\n"): escaped("n")
                case UInt8(ascii: "\r"): escaped("r")
                case UInt8(ascii: "\t"): escaped("t")
                case 0..<0x20, 0x7F: appendEscape(UInt32(byte), to: &out)
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    // U+2028 and U+2029 end lines in JavaScript.
                    appendEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &out)
                    index += 2
                default: out.append(byte)
                }
                index += 1
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A metadata value: strings as strings, numbers and booleans given through
    /// `.stringConvertible` as JSON numbers and booleans, dictionaries as objects, arrays as arrays.
    static func append(value: Logger.MetadataValue, to out: inout [UInt8]) {
        switch value {
        case .string(let s):
            append(string: s, to: &out)
        case .stringConvertible(let c):
            append(scalar: c, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(value: item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let entries):
            out.append(UInt8(ascii: "{"))
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(string: key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(value: entries[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func append(scalar c: any CustomStringConvertible & Sendable, to out: inout [UInt8]) {
        // Booleans, integers and finite numbers are JSON literals as they print; the rest are strings.
        let isLiteral: Bool
        switch c {
        case is Bool, is any BinaryInteger: isLiteral = true
        case let number as Double: isLiteral = number.isFinite
        case let number as Float: isLiteral = number.isFinite
        default: isLiteral = false
        }
        if isLiteral {
            out.append(contentsOf: c.description.utf8)
        } else {
            append(string: c.description, to: &out)
        }
    }

    private static func appendEscape(_ code: UInt32, to out: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) { out.append(digits[Int((code >> UInt32(shift)) & 0xF)]) }
    }
}
