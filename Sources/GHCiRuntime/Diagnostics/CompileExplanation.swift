import Foundation

/// ghcbox's reading of a compiler message for a beginner: a one-line summary, and the
/// hint to show: GHC's, or one of our own where GHC gives none (or a misleading one).
struct CompileExplanation {
    var summary: String
    var hint: String?

    init(severity: Diagnostic.Severity, message: [Substring], warningFlag: String?, ghcSuggestion: String? = nil) {
        // 9.6 moves "intended to use X" into the suggestion; the summary still wants X.
        let text = (message + (ghcSuggestion.map { [Substring($0)] } ?? [])).joined(separator: "\n")
        let headline = Self.headline(message)
        let ours: String?
        (summary, ours) = Self.explain(headline: headline, text: text, flag: warningFlag)
        hint = LeavingHint.hint(forHeadline: headline) ?? ghcSuggestion ?? ours
        if severity == .warning, !summary.hasPrefix("Warning") {
            summary = "Warning: " + summary.prefix(1).lowercased() + summary.dropFirst()
        }
        if summary.count > 140 { summary = String(summary.prefix(137)) + "..." }
    }

    /// The first line of the first bullet, without the bullet. GHC wraps a long name or type
    /// onto the lines below (`Variable not in scope:` then the name, `No instance for (Show`
    /// then the type), so while the line ends in a colon or leaves a bracket or quote open,
    /// the next lines of the bullet join it.
    private static func headline(_ message: [Substring]) -> String {
        guard let start = message.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }) else { return "" }
        var line = message[start].drop(while: { $0 == " " })
        if line.hasPrefix("• ") { line = line.dropFirst(2) }
        var text = String(line).trimmingCharacters(in: .whitespaces)
        var next = start + 1
        while next < message.endIndex, text.hasSuffix(":") || isOpen(text) {
            let more = message[next].trimmingCharacters(in: .whitespaces)
            guard !more.isEmpty, !more.hasPrefix("•") else { break }
            text += " " + more
            next += 1
        }
        return text
    }

    /// Whether `text` leaves a bracket or a ‘quote’ open; brackets inside quotes (`‘(’`) do not count.
    private static func isOpen(_ text: String) -> Bool {
        var depth = 0, quoted = false
        for c in text {
            if c == "‘" { quoted = true } else if c == "’" { quoted = false }
            else if !quoted, "([".contains(c) { depth += 1 }
            else if !quoted, ")]".contains(c) { depth -= 1 }
        }
        return quoted || depth > 0
    }

    private static func explain(headline h: String, text: String, flag: String?) -> (String, String?) {
        let q = MessageText.quoted(h)
        if h.hasPrefix("Variable not in scope:") || h.hasPrefix("Data constructor not in scope:") {
            let kind = h.hasPrefix("Variable") ? "Variable" : "Data constructor"
            let name = h.drop(while: { $0 != ":" }).dropFirst()
                .components(separatedBy: " :: ")[0].trimmingCharacters(in: .whitespaces)
            return ("\(kind) not in scope: \(name)", "Check the spelling, or import the module that defines it")
        }
        if h.hasPrefix("Not in scope: type constructor or class") {
            return ("Type not in scope: \(q.first ?? "")",
                    "Check the spelling, or import the module that defines the type")
        }
        if h.hasPrefix("Not in scope:") {
            let qualifier = text.contains("No module named") ? MessageText.quoted(text).last : nil
            return ("Not in scope: \(q.first ?? "")",
                    qualifier.map { "Import the module under that name, e.g. `import qualified Data.Map as \($0)`" }
                        ?? "Check the spelling, or import the module that defines it")
        }
        if h.hasPrefix("Could not find module") || h.hasPrefix("Could not load module") {
            return ("Module not found: \(q.first ?? "")", "Check the module name; the package may not be installed")
        }
        if h.hasPrefix("Module ‘"), h.contains("does not export") {
            return ("Module \(q.first ?? "") does not export \(q.dropFirst().first ?? "")",
                    "Check the name, or look up which module exports it")
        }
        if h.hasPrefix("parse error (possibly incorrect indentation or mismatched brackets)") {
            return ("Syntax error: bad indentation or an unclosed bracket",
                    "Check for an unclosed bracket, or a line indented less than the block it belongs to")
        }
        if h.hasPrefix("parse error on input") {
            let token = q.first ?? ""
            let hint = token == "="
                ? "A stray `=`: compare with `==`, or define with `let name = ...`"
                : "Check the syntax just before this token (a missing operator, bracket or indentation)"
            return ("Syntax error at ‘\(token)’", hint)
        }
        if h.hasPrefix("parse error") || h.hasPrefix("lexical error") || h.hasPrefix("Unexpected ") {
            return ("Syntax error: \(h)", "Check the syntax around this position")
        }
        if h.hasPrefix("Illegal") || h.contains("Use ") && h.contains(" to allow") || text.contains("intended to use")
            || h.contains(" turned on") {
            let ext = Self.extensionName(text)
            return (ext.map { "This syntax needs the \($0) language extension" } ?? h,
                    ext.map { "Enable it with `:set -X\($0)` (or `{-# LANGUAGE \($0) #-}`)" })
        }
        if h.hasPrefix("Couldn't match") || h.hasPrefix("Could not match") {
            return Self.mismatch(headline: h, text: text)
        }
        if h.hasPrefix("Occurs check") {
            return ("Infinite type: a value is used as if it contained itself",
                    "Check the order and number of arguments")
        }
        if h.hasPrefix("No instance for") {
            let constraint = Self.constraint(after: "No instance for", in: h)
            let className = constraint.split(separator: " ").first.map(String.init) ?? ""
            let hint: String = switch className {
            case "Show": "The value has no Show instance; derive one with `deriving Show` or print a field"
            case "Num", "Fractional", "Integral":
                "A number is used where another type is expected; check the operands' types"
            case "Eq", "Ord": "The type cannot be compared; derive `\(className)` or compare a field"
            default: "Add a `\(className)` instance for the type, or use a type that has one"
            }
            return ("Missing instance: \(constraint)", hint)
        }
        if h.hasPrefix("Ambiguous type variable") || h.contains("ambiguous") {
            return ("Ambiguous type: GHC cannot tell which type \(q.first ?? "a value") should be",
                    "Add a type annotation, e.g. `(read s :: Int)`")
        }
        if h.hasPrefix("Expecting one more argument") || h.hasPrefix("Expecting ")
            || h.contains("has kind") || h.hasPrefix("Expected kind") || h.hasPrefix("Expected a type") {
            return ("Kind error: \(q.first.map { "‘\($0)’ is" } ?? "a type is") used with the wrong number of type arguments",
                    "Give the type constructor its arguments, e.g. `Maybe Int` instead of `Maybe`")
        }
        if h.hasPrefix("The type signature for") && h.contains("lacks an accompanying binding") {
            return ("Type signature without a definition: \(q.first ?? "")",
                    "Define it in the same chunk as its signature")
        }
        if h.contains("applied to too many") || h.contains("applied to too few") || h.contains("has no argument") {
            return ("Wrong number of arguments: \(h)", "Check how many arguments the function takes")
        }
        if let flag, let warning = Self.warning(flag: flag, headline: h, quoted: q) { return warning }
        return (h.isEmpty ? "Compilation failed" : h, nil)
    }

    private static func mismatch(headline h: String, text: String) -> (String, String?) {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var expected = lines.first(where: { $0.hasPrefix("Expected:") }).map { String($0.dropFirst(9)) }
        var actual = lines.first(where: { $0.hasPrefix("Actual:") }).map { String($0.dropFirst(7)) }
        let q = MessageText.quoted(h)
        if expected == nil, h.contains("expected type"), q.count >= 2 {
            (expected, actual) = (q[0], q[1])
        }
        let rigid = text.contains("is a rigid type variable")
        let hint = rigid
            ? "The signature promises any type; do not assume a concrete one, or make the signature specific"
            : "Both sides must have the same type; add a conversion (fromIntegral, show, read) or fix the argument"
        if let expected, let actual {
            let e = expected.trimmingCharacters(in: .whitespaces), a = actual.trimmingCharacters(in: .whitespaces)
            return ("Type mismatch: expected \(e), got \(a)" + (rigid ? " (a rigid type variable)" : ""), hint)
        }
        if q.count >= 2 { return ("Type mismatch: \(q[0]) vs \(q[1])", hint) }
        return ("Type mismatch: \(h)", hint)
    }

    /// `No instance for (Show X) arising ...` (9.0) or `No instance for ‘Show X’ arising ...` (9.6).
    private static func constraint(after prefix: String, in h: String) -> String {
        var rest = h.dropFirst(prefix.count).drop(while: { $0 == " " })
        if let arising = rest.range(of: " arising") { rest = rest[..<arising.lowerBound] }
        var c = String(rest).trimmingCharacters(in: CharacterSet(charactersIn: "‘’ "))
        if c.hasPrefix("("), c.hasSuffix(")") { c = String(c.dropFirst().dropLast()) }
        return c
    }

    /// The extension a message names: "use TupleSections", "Perhaps you intended to use GADTs".
    static func extensionName(_ text: String) -> String? {
        let words = text.split(whereSeparator: { " \n()‘’,.:".contains($0) }).map(String.init)
        for (i, word) in words.enumerated() where ["use", "Use", "enable", "Enable", "need"].contains(word) {
            guard i + 1 < words.count else { continue }
            let name = words[i + 1]
            if let first = name.first, first.isUppercase, name.count > 3,
               name.allSatisfy({ $0.isLetter || $0.isNumber }) {
                return name
            }
        }
        return nil
    }

    private static func warning(flag: String, headline h: String, quoted q: [String]) -> (String, String?)? {
        switch flag {
        case "-Wunused-matches", "-Wunused-local-binds", "-Wunused-top-binds":
            return ("Warning: defined but not used: \(q.first ?? "")", "Remove it, or start its name with `_`")
        case "-Wincomplete-patterns", "-Wincomplete-uni-patterns", "-Wincomplete-record-updates":
            return ("Warning: patterns not covered", "Add the missing cases, or a catch-all `_` case")
        case "-Wtype-defaults":
            return ("Warning: a type was defaulted", "Add a type annotation to choose the type yourself")
        case "-Wmissing-fields":
            return ("Warning: record fields not initialised", "Give every field a value")
        case "-Wname-shadowing":
            return ("Warning: \(q.first ?? "a name") shadows an existing binding", "Rename the inner binding")
        case "-Wunused-imports":
            return ("Warning: unused import", "Remove the import")
        case "-Wmissing-signatures", "-Wmissing-local-signatures":
            return ("Warning: top-level binding without a type signature", "Add the signature GHC inferred")
        case "-Wunused-do-bind":
            return ("Warning: a do-block result is discarded", "Bind it with `_ <-` or use `void`")
        default:
            return nil
        }
    }
}
