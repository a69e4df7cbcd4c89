/// The readable form of a failed cell, for the console and for the JUnit report: the cell's
/// number and first line, each reason, and the diff (`-` stored, `+` new, two lines of context).
public enum CheckText {
    public static func cell(_ verdict: CellVerdict, colour: Bool = false) -> String {
        guard case .failed(let reasons, let changes) = verdict.outcome else { return "" }
        let name = verdict.number == 0 ? "the -p parameters cell" : "cell \(verdict.number) (\(verdict.firstLine))"
        var lines = reasons.map { "  \(name): \($0)" }
        let shown = diff(changes, colour: colour)
        if !shown.isEmpty { lines.append(shown) }
        return lines.joined(separator: "\n")
    }

    public static func diff(_ lines: [TextDiff.Line], colour: Bool = false, context: Int = 2) -> String {
        let changed = lines.indices.filter { if case .same = lines[$0] { false } else { true } }
        var out: [String] = []
        var lastShown = -1
        for index in lines.indices where changed.contains(where: { abs($0 - index) <= context }) {
            if lastShown >= 0, index > lastShown + 1 { out.append("    ...") }
            lastShown = index
            switch lines[index] {
            case .same(let text): out.append("      " + text)
            case .removed(let text): out.append(colour ? "\u{1b}[31m    - \(text)\u{1b}[0m" : "    - " + text)
            case .added(let text): out.append(colour ? "\u{1b}[32m    + \(text)\u{1b}[0m" : "    + " + text)
            }
        }
        return out.joined(separator: "\n")
    }
}
