import Foundation

/// The first line of one GHC message:
/// `Cell[7]:3:5-12: error: [GHC-88464] [-Wfoo] inline text`.
/// 9.0 prints no code; 9.6 prints `[GHC-nnnnn]` before the flag list.
struct DiagnosticHeader: Equatable, Sendable {
    var location: GHCLocation
    var severity: Diagnostic.Severity
    var code: String?
    var warningFlag: String?
    /// Text after the brackets on the same line (short messages stay on the header).
    var inlineText: Substring

    init?(line: Substring) {
        // The location ends at the `: error` / `: warning` that follows it.
        for (marker, severity) in [(": error", Diagnostic.Severity.error), (": warning", .warning)] {
            guard let range = line.range(of: marker) else { continue }
            let rest = line[range.upperBound...]
            // `: error` must end the word (`: errors` is prose, not a header).
            guard rest.isEmpty || rest.first == ":" else { continue }
            guard let location = GHCLocation(line[..<range.lowerBound]) else { continue }
            self.location = location
            self.severity = severity
            var remainder = rest.dropFirst().drop(while: { $0 == " " })
            var code: String?
            var flag: String?
            // Bracket groups: `[GHC-40910]`, `[-Wunused-matches]`,
            // `[-Wunused-matches, Werror=unused-matches]`.
            while remainder.first == "[", let close = remainder.firstIndex(of: "]") {
                let group = remainder[remainder.index(after: remainder.startIndex)..<close]
                if group.hasPrefix("GHC-") {
                    code = String(group)
                } else if flag == nil {
                    flag = group.split(separator: ",").first.map {
                        String($0.trimmingCharacters(in: .whitespaces))
                    }
                }
                remainder = remainder[remainder.index(after: close)...].drop(while: { $0 == " " })
            }
            self.code = code
            self.warningFlag = flag
            self.inlineText = remainder
            return
        }
        return nil
    }
}
