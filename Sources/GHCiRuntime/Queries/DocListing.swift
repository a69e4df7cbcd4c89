/// GHCi's answer to `:doc NAME`: the name's Haddock text where its package was built with
/// documentation. GHCi answers without it for names defined in the session, names whose
/// module has no interface docs, and names with none written.
public enum DocListing {
    /// The documentation, its common indentation removed; nil where there is none.
    public static func text(_ output: String) -> String? {
        let body = output.trimmingWhitespace
        guard !body.isEmpty, body != "<has no documentation>", !body.hasPrefix("Docs are unavailable"),
              !body.hasPrefix("Couldn't find any documentation"), !body.contains("error:")
        else { return nil }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let margin = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.dropFirst(min(margin, $0.prefix { $0 == " " }.count)) }.joined(separator: "\n").trimmingWhitespace
    }
}
