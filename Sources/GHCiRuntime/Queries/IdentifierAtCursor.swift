/// The Haskell name under the cursor, for `inspect_request`: a (possibly qualified)
/// identifier like `Data.Map.insert`, or an operator like `<$>` (returned in parentheses).
public enum IdentifierAtCursor {
    public static func find(in code: String, cursor: Int) -> String? {
        let scalars = Array(code.unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        var position = min(max(0, cursor), scalars.count)
        func isWord(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "'" || s == "." }
        func isSymbol(_ s: Unicode.Scalar) -> Bool { "!#$%&*+./<=>?@\\^|-~:".unicodeScalars.contains(s) }
        // The cursor usually sits just after the name.
        if position == scalars.count || !(isWord(scalars[position]) || isSymbol(scalars[position])) {
            if position > 0 { position -= 1 }
        }
        let kind: (Unicode.Scalar) -> Bool = isWord(scalars[position]) ? isWord : isSymbol
        guard kind(scalars[position]) else { return nil }
        var start = position
        var end = position
        while start > 0 && kind(scalars[start - 1]) { start -= 1 }
        while end + 1 < scalars.count && kind(scalars[end + 1]) { end += 1 }
        var name = String(String.UnicodeScalarView(scalars[start...end]))
        if kind(scalars[position]) && !isWord(scalars[position]) { return "(\(name))" }
        while name.hasSuffix(".") { name.removeLast() }
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? nil : name
    }
}
