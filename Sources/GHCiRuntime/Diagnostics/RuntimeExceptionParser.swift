import Foundation

/// Reads the exception GHCi printed when a chunk's evaluation threw:
/// `*** Exception: <show of the exception>`, maybe a location inside the text
/// (pattern-match failures, missing fields) and maybe a `CallStack (from HasCallStack):` block.
enum RuntimeExceptionParser {
    static let marker = "*** Exception: "
    private static let callStackHeader = "CallStack (from HasCallStack):"

    static func parse(_ stderr: String, chunk: ChunkContext) -> Diagnostic? {
        let text = MessageText.stripANSI(stderr)
        guard let start = text.range(of: marker) else { return nil }
        // The exception runs to the first blank line (GHCi ends some with one) or the end.
        var lines: [Substring] = []
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) || DiagnosticHeader(line: line) != nil { break }
            lines.append(line)
        }
        let stackStart = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == callStackHeader }
        let shown = Array(lines[..<(stackStart ?? lines.count)])
        let frames = stackStart.map { lines[($0 + 1)...].compactMap(CallStackFrame.init) } ?? []

        let shownText = shown.joined(separator: "\n")
        let (location, shownWithoutLocation) = leadingLocation(shownText)
        let kind = ExceptionKind(shown: shownWithoutLocation, hasCallStack: !frames.isEmpty)
        let place = chunk.place(location ?? GHCLocation.firstIn(shownText[...]) ?? userFrame(frames))
        let message = MessageText.dedent(lines.map { $0 }).joined(separator: "\n")
        return Diagnostic(
            severity: .error, module: place.module, span: place.span, code: nil,
            message: message, suggestion: kind.suggestion, summary: kind.summary,
            ename: kind.ename, executingCell: chunk.cell)
    }

    /// `Cell[4]:41:1-7: Non-exhaustive patterns in function k` → the location and the rest.
    private static func leadingLocation(_ text: String) -> (GHCLocation?, String) {
        guard let separator = text.range(of: ": ") else { return (nil, text) }
        // The location itself may contain ": " only in `<no location info>`, which has no span.
        if let location = GHCLocation(text[..<separator.lowerBound]), location.span != nil {
            return (location, String(text[separator.upperBound...]))
        }
        return (nil, text)
    }

    /// The innermost frame that points into a cell (or unwrapped GHCi input),
    /// skipping frames inside libraries such as `libraries/base/GHC/List.hs`.
    private static func userFrame(_ frames: [CallStackFrame]) -> GHCLocation? {
        frames.first { $0.location.file == GHCLocation.interactive || $0.location.file.hasPrefix("Cell[") }?.location
    }
}

/// `  error, called at Cell[1]:4:25 in interactive:Ghci1`
struct CallStackFrame: Equatable, Sendable {
    var function: String
    var location: GHCLocation

    init?(_ line: Substring) {
        let trimmed = line.drop(while: { $0 == " " })
        guard let comma = trimmed.range(of: ", called at ") else { return nil }
        let rest = trimmed[comma.upperBound...]
        let end = rest.range(of: " in ")?.lowerBound ?? rest.endIndex
        guard let location = GHCLocation(rest[..<end]) else { return nil }
        function = String(trimmed[..<comma.lowerBound])
        self.location = location
    }
}
