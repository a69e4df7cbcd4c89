import Foundation

/// Someone who types `exit`, `quit` or `:exit` wants to leave the session. GHC answers with a
/// lookalike name (`exp`) or nothing; this hint names the ways that work.
enum LeavingHint {
    static let text = "`:quit` ends the session and the next cell starts a fresh one; the notebook's Restart kernel restarts it"

    /// Names people try, as an expression or as a GHCi command.
    private static let words: Set<String> = ["exit", "quit", "bye", "logout"]

    /// The hint for a compiler message whose first line is `headline`, when that names an
    /// unbound `exit` or `quit`, or an unknown command such as `:exit` or `:bye`.
    static func hint(forHeadline headline: String) -> String? {
        let name: Substring
        if headline.hasPrefix("Variable not in scope:") {
            // "Variable not in scope: exit" or, with a type GHC inferred, "... exit :: IO a".
            name = headline.dropFirst("Variable not in scope:".count).prefix { $0 != ":" }
        } else if headline.hasPrefix("unknown command '") {
            name = headline.dropFirst("unknown command '".count).prefix { $0 != "'" }.drop { $0 == ":" }
        } else {
            return nil
        }
        let word = name.trimmingCharacters(in: .whitespaces).lowercased()
        return words.contains(word) ? text : nil
    }
}
