import Foundation

/// Text helpers for GHC's message bodies.
enum MessageText {
    /// Removes ANSI colour sequences, in case GHC was run with colours forced on.
    static func stripANSI<S: StringProtocol>(_ text: S) -> String {
        var out = ""
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            if c == "\u{1B}" {
                // Skip `ESC [ ... final-byte`.
                while let d = iterator.next(), !(d.isLetter) {}
                continue
            }
            out.append(c)
        }
        return out
    }

    static func indentation<S: StringProtocol>(_ line: S) -> Int {
        line.prefix(while: { $0 == " " }).count
    }

    /// Drops the indentation every non-blank line shares, and blank lines at both ends.
    static func dedent(_ lines: [Substring]) -> [Substring] {
        var lines = lines
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        let common = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { indentation($0) }.min() ?? 0
        return lines.map { $0.count >= common ? $0.dropFirst(common) : $0.drop(while: { $0 == " " }) }
    }

    /// Joins a multi-line fragment into one line with single spaces.
    static func oneLine<S: StringProtocol>(_ lines: [S]) -> String {
        lines.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\n" }) }.joined(separator: " ")
    }

    /// `‘Int’` → `Int`; GHC quotes names with Unicode quotes (or ASCII ` ' in some locales).
    static func unquoted<S: StringProtocol>(_ text: S) -> String {
        String(text).trimmingCharacters(in: CharacterSet(charactersIn: "‘’`' "))
    }

    /// The first quoted name in `text`, e.g. `‘length’` → `length`.
    static func firstQuoted<S: StringProtocol>(_ text: S) -> String? {
        quoted(text).first
    }

    /// All names quoted with ‘…’ in `text`, in order.
    static func quoted<S: StringProtocol>(_ text: S) -> [String] {
        var result: [String] = []
        var current: String?
        for c in text {
            if c == "‘" { current = "" }
            else if c == "’", let done = current { result.append(done); current = nil }
            else if current != nil { current!.append(c) }
        }
        return result
    }
}
