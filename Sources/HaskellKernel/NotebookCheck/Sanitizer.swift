import Foundation

/// Rewrites volatile text (addresses, timings) the same way in stored and new outputs before they
/// are compared. Rules come from nbval's sanitize file format (`[section]`, `regex: ...`,
/// `replace: ...`) and from built-in rules for what changes from run to run.
public struct Sanitizer: Sendable {
    public struct Rule: Sendable {
        public let pattern: String
        public let replacement: String
        let regex: NSRegularExpression

        public init(pattern: String, replacement: String) throws(SanitizerError) {
            do { regex = try NSRegularExpression(pattern: pattern) } catch {
                throw SanitizerError("regex '\(pattern)' does not compile: \(error.localizedDescription)")
            }
            self.pattern = pattern
            self.replacement = Self.template(python: replacement)
        }

        /// Python's `re.sub` replacement (nbval's) as NSRegularExpression's template: `\N` and
        /// `\g<N>` become `$N`, a literal `$` is escaped, `\\` stays one backslash.
        static func template(python: String) -> String {
            var out = ""
            var rest = Substring(python)
            while let first = rest.first {
                rest = rest.dropFirst()
                if first == "$" { out += "\\$"; continue }
                guard first == "\\", let next = rest.first else { out.append(first); continue }
                if next.isNumber {
                    let digits = rest.prefix(while: \.isNumber)
                    out += "$" + digits
                    rest = rest.dropFirst(digits.count)
                } else if next == "g", rest.dropFirst().first == "<", let close = rest.firstIndex(of: ">") {
                    out += "$" + rest[rest.index(rest.startIndex, offsetBy: 2)..<close]
                    rest = rest[rest.index(after: close)...]
                } else if next == "\\" {
                    out += "\\\\"
                    rest = rest.dropFirst()
                } else {
                    out.append(first)
                }
            }
            return out
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule] = []) { self.rules = rules }

    /// Heap addresses (`0x7f3a...`) and GHCi's `:set +s` statistics (`(0.01 secs, 1,234 bytes)`).
    public static let builtIn = Sanitizer(rules: [
        try! Rule(pattern: #"0x[0-9a-fA-F]+"#, replacement: "0xADDRESS"),
        try! Rule(pattern: #"\([0-9.]+ secs, [0-9,]+ bytes\)"#, replacement: "(SECS, BYTES)"),
    ])

    public func apply(_ text: String) -> String {
        rules.reduce(text) { text, rule in
            rule.regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                withTemplate: rule.replacement)
        }
    }

    /// Parses nbval's format: each `regex:` line is paired with the `replace:` line after it;
    /// `[section]` headers, blank lines and `#` comments only separate them.
    public static func parse(_ text: String, source: String) throws(SanitizerError) -> Sanitizer {
        var rules: [Rule] = []
        var pending: (pattern: String, line: Int)?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") || (line.hasPrefix("[") && line.hasSuffix("]")) { continue }
            if let value = Self.value(of: "regex", in: line) {
                if let pending { throw SanitizerError("\(source):\(pending.line): regex without a replace line") }
                pending = (value, number + 1)
            } else if let value = Self.value(of: "replace", in: line) {
                guard let found = pending else { throw SanitizerError("\(source):\(number + 1): replace without a regex line") }
                do { rules.append(try Rule(pattern: found.pattern, replacement: value)) } catch {
                    throw SanitizerError("\(source):\(found.line): \(error.description)")
                }
                pending = nil
            } else {
                throw SanitizerError("\(source):\(number + 1): expected 'regex: PATTERN' or 'replace: TEXT'")
            }
        }
        if let pending { throw SanitizerError("\(source):\(pending.line): regex without a replace line") }
        return Sanitizer(rules: rules)
    }

    private static func value(of key: String, in line: String) -> String? {
        guard line.hasPrefix(key + ":") else { return nil }
        return String(line.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces)
    }
}

public struct SanitizerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
