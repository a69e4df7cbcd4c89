/// Splits GHC's own hints out of a message body: "Perhaps you meant ...",
/// 9.6's "Suggested fix:" blocks, "Possible fix: add (Show a) to the context ...".
/// The hint leaves the message so the traceback does not print it twice.
struct GHCSuggestion {
    var messageLines: [Substring]
    var suggestion: String?

    /// Line openings that start a hint; each hint runs on over the lines indented deeper.
    private static let openings = [
        "Perhaps ", "Suggested fix", "Suggested fixes", "Possible fix", "Probable fix",
        "Add ", "add ", "Use ", "Enable ", "You may want to ", "To use ",
    ]
    /// Labels GHC puts before the hint itself; dropped from the suggestion text.
    private static let labels = ["Suggested fixes:", "Suggested fix:", "Possible fix:", "Probable fix:"]

    init(lines: [Substring]) {
        var kept: [Substring] = []
        var hints: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let indent = MessageText.indentation(line)
            var text = line.dropFirst(indent)
            let bulleted = text.hasPrefix("• ")
            if bulleted { text = text.dropFirst(2) }
            guard Self.openings.contains(where: { text.hasPrefix($0) }),
                  !Self.isNotAHint(text) else {
                kept.append(line)
                index += 1
                continue
            }
            // The hint's own text starts after the bullet; continuation lines are deeper.
            let textIndent = indent + (bulleted ? 2 : 0)
            var region = [text]
            index += 1
            while index < lines.count, MessageText.indentation(lines[index]) > textIndent
                || lines[index].allSatisfy(\.isWhitespace) && index + 1 < lines.count
                    && MessageText.indentation(lines[index + 1]) > textIndent {
                region.append(lines[index])
                index += 1
            }
            hints.append(Self.render(region))
        }
        // Drop a blank line left hanging at the end.
        while let last = kept.last, last.allSatisfy(\.isWhitespace) { kept.removeLast() }
        messageLines = kept
        suggestion = hints.isEmpty ? nil : hints.joined(separator: "; ")
    }

    /// "Add" or "Use" also open ordinary sentences; these are not hints.
    private static func isNotAHint(_ text: Substring) -> Bool {
        text.hasPrefix("Use of ") || text.hasPrefix("Add the ") && text.contains("arising")
    }

    /// One hint as one line; 9.6 lists several fixes as bullets, kept apart by "; ".
    private static func render(_ region: [Substring]) -> String {
        var parts: [[Substring]] = [[]]
        for line in region {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("• ") {
                parts.append([trimmed.dropFirst(2)])
            } else {
                parts[parts.count - 1].append(trimmed)
            }
        }
        let pieces = parts.map { MessageText.oneLine($0) }.map(stripLabel).filter { !$0.isEmpty }
        return pieces.joined(separator: "; ")
    }

    private static func stripLabel(_ text: String) -> String {
        for label in labels where text.hasPrefix(label) {
            let rest = text.dropFirst(label.count).drop(while: { $0 == " " })
            guard let first = rest.first else { return "" }
            return first.uppercased() + rest.dropFirst()
        }
        return text
    }
}
