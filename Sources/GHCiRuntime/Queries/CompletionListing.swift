/// GHCi's answer to `:complete repl "line"`: a header `shown total "unused prefix"`
/// then one quoted candidate per line.
public struct CompletionListing: Equatable, Sendable {
    public var unusedPrefix: String
    public var candidates: [String]

    public static func parse(_ output: String) -> CompletionListing {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else { return CompletionListing(unusedPrefix: "", candidates: []) }
        let header = lines.removeFirst()
        let prefix = header.firstIndex(of: "\"").map { unquote(String(header[$0...])) } ?? ""
        return CompletionListing(unusedPrefix: prefix, candidates: lines.map(unquote))
    }

    /// Reads a Haskell string literal as `show` wrote it (escapes for quotes, backslashes, \n, \t and \DDD).
    static func unquote(_ literal: String) -> String {
        var chars = Array(literal.trimmingPrefixQuote())
        if chars.last == "\"" { chars.removeLast() }
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "\\", i + 1 < chars.count else { out.append(c); i += 1; continue }
            let next = chars[i + 1]
            i += 2
            switch next {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "&": break
            case let d where d.isNumber:
                var digits = String(d)
                while i < chars.count, chars[i].isNumber { digits.append(chars[i]); i += 1 }
                if let code = UInt32(digits), let scalar = Unicode.Scalar(code) { out.unicodeScalars.append(scalar) }
            default: out.append(next)
            }
        }
        return out
    }
}

private extension String {
    func trimmingPrefixQuote() -> Substring { hasPrefix("\"") ? dropFirst() : Substring(self) }
}
