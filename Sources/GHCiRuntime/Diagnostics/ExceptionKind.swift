/// The exception type behind GHCi's `*** Exception:` text, told apart by the
/// wording of each type's `show`, with a beginner's summary and hint.
struct ExceptionKind: Equatable, Sendable {
    var ename: String
    var summary: String
    var suggestion: String?

    /// `shown` is the exception's text with any leading location removed.
    init(shown: String, hasCallStack: Bool) {
        let first = shown.split(separator: "\n").first.map(String.init) ?? shown
        let lower = first.lowercased()
        func set(_ ename: String, _ summary: String, _ suggestion: String?) {
            self.ename = ename
            self.summary = summary
            self.suggestion = suggestion
        }
        ename = "Exception"
        summary = "Uncaught exception: \(first)"
        suggestion = nil

        if first.hasPrefix("Non-exhaustive") || first.hasPrefix("Irrefutable pattern failed") {
            set("PatternMatchFail", "No pattern matched: \(first)",
                "Add the missing cases (or a catch-all `_`); `:set -Wincomplete-patterns` lists them")
        } else if first.hasPrefix("Missing field in record construction") {
            let field = first.split(separator: " ").last.map(String.init) ?? ""
            set("RecConError", "Record field \(field) was never given a value",
                "Give every field a value when constructing the record")
        } else if first.hasPrefix("No match in record selector") {
            set("RecSelError", "Record selector applied to a constructor without that field: \(first)",
                "Match on the constructor before using the field")
        } else if first.hasPrefix("No instance nor default method") {
            set("NoMethodError", "A class method has no definition: \(first)", "Define the method in the instance")
        } else if first == "<<loop>>" {
            set("NonTermination", "Infinite loop: a value depends on itself (<<loop>>)",
                "Check recursive definitions; a name may be defined in terms of itself")
        } else if first == "stack overflow" {
            set("AsyncException", "Stack overflow (StackOverflow)",
                "Deep recursion; use a strict accumulator such as foldl' or an explicit loop")
        } else if first == "heap overflow" {
            set("AsyncException", "Out of memory (HeapOverflow)",
                "The computation used more memory than allowed; process the data in smaller pieces")
        } else if first == "user interrupt" || first == "thread killed" {
            set("AsyncException", "Interrupted (\(first))", nil)
        } else if Self.arithmetic.contains(first) {
            set("ArithException", "Arithmetic error: \(first)",
                first == "divide by zero" ? "Check the divisor before dividing" : nil)
        } else if first.hasPrefix("thread blocked indefinitely in an MVar") {
            set("BlockedIndefinitelyOnMVar", "Deadlock: \(first)", "Every takeMVar needs a matching putMVar")
        } else if first.hasPrefix("thread blocked indefinitely in an STM") {
            set("BlockedIndefinitelyOnSTM", "Deadlock: \(first)", nil)
        } else if first == "<<deadlock>>" {
            set("Deadlock", "Deadlock", nil)
        } else if first == "<<timeout>>" {
            set("Timeout", "Timed out", nil)
        } else if first.hasPrefix("Assertion failed") {
            set("AssertionFailed", "Assertion failed", nil)
        } else if first.hasPrefix("ExitFailure") || first == "ExitSuccess" {
            set("ExitCode", "The program called exit (\(first))", nil)
        } else if first.hasPrefix("user error (") {
            let inner = String(first.dropFirst("user error (".count).dropLast())
            set("IOException", "IO action failed: \(inner)",
                inner.hasPrefix("Pattern match failure in")
                    ? "A `pattern <- action` did not match; use `case` to handle the other results" : nil)
        } else if let ioReason = Self.ioReasons.first(where: { lower.contains(": \($0)") }) {
            let hint: String? = switch ioReason {
            case "does not exist": "Check the file name and the working directory"
            case "permission denied": "The sandbox or the file's permissions do not allow this access"
            case "end of file": "There is no more input to read"
            default: nil
            }
            set("IOException", "I/O error: \(first)", hint)
        } else if first == "Prelude.undefined" {
            set("ErrorCall", "`undefined` was evaluated", "Replace `undefined` with a real value")
        } else if first.hasPrefix("Prelude.head: empty list") || first.hasPrefix("Prelude.tail: empty list")
                    || first.hasPrefix("Prelude.last: empty list") || first.hasPrefix("Prelude.init: empty list") {
            let function = first.dropFirst("Prelude.".count).prefix(while: { $0 != ":" })
            set("ErrorCall", "`\(function)` was applied to an empty list",
                "Handle the empty list first, e.g. with a pattern match on `[]` and `(x:_)`")
        } else if first.hasPrefix("Maybe.fromJust: Nothing") {
            set("ErrorCall", "`fromJust` was applied to Nothing", "Use `case`, `maybe` or `fromMaybe` instead")
        } else if first.hasPrefix("Prelude.!!") {
            set("ErrorCall", "List index out of range (\(first))", "Check the index against `length`")
        } else if first.hasPrefix("Prelude.read: no parse") {
            set("ErrorCall", "`read` could not parse the text", "Use `readMaybe` from Text.Read to handle bad input")
        } else if hasCallStack || first.hasPrefix("Prelude.") || !Self.looksLikeShownValue(first) {
            // `error "..."` shows its bare message (with a call stack since base 4.9).
            set("ErrorCall", "error: \(first)", nil)
        }
    }

    private static let arithmetic: Set<String> = [
        "divide by zero", "arithmetic overflow", "arithmetic underflow", "loss of precision",
        "denormal", "Ratio has zero denominator",
    ]

    /// The descriptions `show` gives an IOException's `IOErrorType`.
    private static let ioReasons = [
        "does not exist", "permission denied", "already exists", "resource busy", "resource exhausted",
        "end of file", "illegal operation", "inappropriate type", "invalid argument", "hardware fault",
        "unsupported operation", "timeout", "resource vanished", "interrupted", "protocol error",
        "system error", "unsatisfied constraints",
    ]

    /// `MyErr "x"` or `Timeout 3`: a derived `show` of a custom exception, not prose.
    private static func looksLikeShownValue(_ text: String) -> Bool {
        guard let first = text.first, first.isUppercase else { return false }
        let constructor = text.prefix(while: { !$0.isWhitespace })
        guard constructor.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "'" || $0 == "." })
        else { return false }
        let rest = text.dropFirst(constructor.count).drop(while: { $0 == " " })
        // A constructor alone, or followed by arguments that look like values.
        guard let next = rest.first else { return true }
        return "\"({[-0123456789".contains(next) || next.isUppercase
    }
}
