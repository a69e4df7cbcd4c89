/// Spelling rules of the Prometheus text exposition format 0.0.4.
enum PrometheusText {
    /// A metric name matching `[a-zA-Z_:][a-zA-Z0-9_:]*`; other characters become `_`.
    static func metricName(_ raw: String) -> String {
        sanitized(raw, allowColon: true)
    }

    /// A label name matching `[a-zA-Z_][a-zA-Z0-9_]*`; other characters become `_`.
    static func labelName(_ raw: String) -> String {
        sanitized(raw, allowColon: false)
    }

    private static func sanitized(_ raw: String, allowColon: Bool) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(raw.unicodeScalars.count + 1)
        for scalar in raw.unicodeScalars {
            let v = scalar.value
            let letter = (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || v == 0x5F || (allowColon && v == 0x3A)
            let digit = v >= 0x30 && v <= 0x39
            if out.unicodeScalars.isEmpty && digit { out.unicodeScalars.append("_") }
            out.unicodeScalars.append(letter || digit ? scalar : "_")
        }
        return out.isEmpty ? "_" : out
    }

    /// A label value inside double quotes: backslash, double quote and newline escaped.
    static func labelValue(_ raw: String) -> String { escaped(raw, quotes: true) }

    /// `# HELP` text: backslash and newline escaped.
    static func help(_ raw: String) -> String { escaped(raw, quotes: false) }

    private static func escaped(_ raw: String, quotes: Bool) -> String {
        var out = ""
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"" where quotes: out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A sample value: integers without a fraction, `+Inf`, `-Inf`, `NaN`, else the shortest round-trip form.
    static func value(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// `{a="x",b="y"}`, or nothing for an empty label set.
    static func labels(_ labels: [Label]) -> String {
        if labels.isEmpty { return "" }
        return "{" + labels.map { "\($0.name)=\"\(labelValue($0.value))\"" }.joined(separator: ",") + "}"
    }
}
