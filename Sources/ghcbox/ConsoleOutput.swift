import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes straight to descriptor 1, so headings and streamed output stay in order.
func say(_ text: String, newline: Bool = true) {
    FileHandle.standardOutput.write(Data((newline ? text + "\n" : text).utf8))
}

/// Writes a line to stderr.
func complain(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Whether text for stdout keeps its ANSI colours: only on a terminal, and never with
/// `NO_COLOR` set to anything (https://no-color.org).
enum ConsoleColour {
    static var enabled: Bool {
        guard isatty(STDOUT_FILENO) == 1 else { return false }
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"] ?? ""
        return noColour.isEmpty
    }

    /// `text` without its ANSI control sequences (`ESC [ ... final`, and a lone `ESC x`).
    static func stripped(_ text: String) -> String {
        guard text.contains("\u{1b}") else { return text }
        var kept = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1b}" else { kept.append(scalar); continue }
            guard let next = scalars.next(), next == "[" else { continue }
            // Parameters and intermediates run up to a final byte in @...~.
            while let inner = scalars.next(), !("@"..."~").contains(inner) {}
        }
        return String(kept)
    }
}
