import Logging

/// JSON spelling of strings and swift-log metadata values.
enum JSONText {
    /// `"..."` with quotes, backslashes and control characters escaped.
    static func string(_ raw: String) -> String {
        var out = "\""
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A metadata value: strings as strings, numbers and booleans given through
    /// `.stringConvertible` as JSON numbers and booleans, dictionaries as objects, arrays as arrays.
    static func value(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s):
            return string(s)
        case .stringConvertible(let c):
            return scalar(c)
        case .array(let items):
            return "[" + items.map { self.value($0) }.joined(separator: ",") + "]"
        case .dictionary(let entries):
            let fields = entries.keys.sorted().map { string($0) + ":" + self.value(entries[$0]!) }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    private static func scalar(_ c: any CustomStringConvertible & Sendable) -> String {
        if let flag = c as? Bool { return flag ? "true" : "false" }
        if let integer = c as? any BinaryInteger { return integer.description }
        if let number = c as? Double { return number.isFinite ? number.description : string(number.description) }
        if let number = c as? Float { return number.isFinite ? number.description : string(number.description) }
        return string(c.description)
    }
}
