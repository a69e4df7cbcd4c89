import Foundation
import JSONValue

/// Parameters as papermill gives them to other languages: after the first cell tagged
/// `parameters` (or first of all, without one) a code cell binds each name with `let`, its
/// type read from the literal: integers are `Integer`, decimals `Double`, `True`/`False` `Bool`,
/// a bracketed list as written, anything else a `String`.
public enum NotebookParameters {
    public static let tag = "parameters"
    public static let injectedTag = "injected-parameters"

    public static func inject(_ values: [(name: String, value: String)], into document: JSON) throws(NotebookError) -> JSON {
        guard !values.isEmpty else { return document }
        guard case .object(var root) = document, var cells = root["cells"]?.arrayValue else {
            throw NotebookError("it has no cells")
        }
        var lines: [String] = []
        for (name, value) in values {
            guard name.range(of: #"^[a-z_][A-Za-z0-9_']*$"#, options: .regularExpression) != nil else {
                throw NotebookError("parameter '\(name)' is not a Haskell variable name (a lower-case letter or _ first)")
            }
            lines.append("let \(name) = \(literal(value))")
        }
        let cell: JSON = .object([
            "id": .string(injectedTag), "cell_type": "code", "execution_count": .null, "outputs": .array([]),
            "metadata": .object(["tags": .array([.string(injectedTag)])]),
            "source": .string(lines.joined(separator: "\n")),
        ])
        let position = cells.firstIndex { NotebookCell.tags($0.objectValue ?? [:]).contains(tag) }.map { $0 + 1 } ?? 0
        cells.insert(cell, at: position)
        root["cells"] = .array(cells)
        return .object(root)
    }

    /// The Haskell expression for one value given on the command line.
    static func literal(_ value: String) -> String {
        if value.range(of: #"^-?[0-9]+$"#, options: .regularExpression) != nil { return "(\(value) :: Integer)" }
        if value.range(of: #"^-?[0-9]+\.[0-9]+([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil {
            return "(\(value) :: Double)"
        }
        if value == "True" || value == "true" { return "True" }
        if value == "False" || value == "false" { return "False" }
        if value.hasPrefix("["), value.hasSuffix("]") { return value }
        return stringLiteral(value)
    }

    /// A Haskell string literal: quotes and backslashes escaped, control characters as decimal
    /// escapes closed with `\&` so that a digit after one stays a digit.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f: out += "\\\(scalar.value)\\&"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
