/// What GHCi itself wrote during one chunk, as the runtime framed it (`RuntimeModule`:
/// GHCi's writes outside the cell's statements), sorted into the chunk's report:
/// compile messages, an uncaught exception, `Interrupted.`, and errors GHCi states
/// without a location (a flag or option it does not know, a missing file, ...).
/// Nothing the cell prints reaches here, so no text of the cell changes a status.
struct GHCiReports: Sendable {
    /// GHCi's reports are kept up to this many bytes; the rest is cut with a note.
    static let limit = 256 * 1024

    private var lines: [String] = []
    private var partial: [UInt8] = []
    private var size = 0
    private var cut = false

    /// Adds bytes GHCi wrote to stderr.
    mutating func append(_ bytes: [UInt8]) {
        guard size + bytes.count <= Self.limit else { cut = true; return }
        size += bytes.count
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: 0x0a) {
            partial += rest[..<newline]
            finishLine()
            rest = rest[(newline + 1)...]
        }
        partial += rest
    }

    /// Adds a line GHCi wrote elsewhere that states an error.
    mutating func appendError(_ line: String) {
        if !partial.isEmpty { finishLine() }
        lines.append(line)
    }

    /// Sorts the reports into `report`.
    func sort(into report: inout ChunkReport) {
        var all = lines
        if !partial.isEmpty { all.append(String(decoding: partial, as: UTF8.self)) }
        if cut { all.append("(GHCi's report was cut at \(Self.limit / 1024) KB)") }
        var compile = ""
        var exception: String?
        var block = Block.none
        for line in all {
            if block == .exception {
                exception! += line + "\n"
            } else if line == "Interrupted." {
                if report.ending == .completed { report.ending = .interrupted }
                block = .none
            } else if line.hasPrefix("*** Exception: ") {
                exception = line + "\n"
                block = .exception
            } else if let header = DiagnosticHeader(line: Substring(line)) {
                compile += line + "\n"
                if header.severity == .error { report.compileFailed = true }
                block = .compile
            } else if block != .none && (line.isEmpty || line.first == " " || line.first == "\t" || Self.isTrailer(line)) {
                compile += line + "\n"
            } else if line.allSatisfy(\.isWhitespace) {
                block = .none
            } else {
                // GHCi's word without a location header: an error all the same.
                if block != .loose { compile += "\(GHCLocation.noLocation): error:\n" }
                compile += "    " + line + "\n"
                report.compileFailed = true
                block = .loose
            }
        }
        report.compileReport += compile
        if let exception { report.exceptionReport = (report.exceptionReport ?? "") + exception }
    }

    private enum Block { case none, compile, loose, exception }

    private mutating func finishLine() {
        lines.append(String(decoding: partial, as: UTF8.self))
        partial = []
    }

    /// Lines GHCi prints after a failed `:load`.
    private static func isTrailer(_ line: String) -> Bool {
        line.hasPrefix("Failed, ") || line.hasPrefix("Ok, ")
    }
}

/// What GHCi itself writes to stdout (`:type`, `:info`, `:show`, ...) is output like the
/// cell's, except its word that a directive failed, which it also prints there: that
/// becomes the chunk's error instead.
struct GHCiStdout {
    /// Lines longer than this are passed on in pieces.
    static let lineLimit = 64 * 1024

    var isOpen = false
    private var line: [UInt8] = []
    private var hintDue = false

    /// Takes bytes GHCi wrote; whole lines go to `output` or, if they state a failure, to `failed`.
    mutating func take(_ bytes: [UInt8], output: inout Coalescer, failed: (String) -> Void) {
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: 0x0a) {
            line += rest[..<newline]
            let text = String(decoding: line, as: UTF8.self)
            if let failure = Self.failure(text) {
                failed(failure)
                hintDue = true
            } else {
                // The hint GHCi prints after an unknown command belongs to the error.
                if !(hintDue && text == "use :? for help.") { output.append(line + [0x0a]) }
                hintDue = false
            }
            line = []
            rest = rest[(newline + 1)...]
        }
        line += rest
        // An endless line streams rather than waiting for its end.
        if line.count > Self.lineLimit { output.append(line); line = [] }
    }

    /// A span of GHCi's output ended (the runtime ends one at every line): an unfinished
    /// line is output.
    mutating func close(output: inout Coalescer) {
        if !line.isEmpty { output.append(line); line = [] }
        isOpen = false
    }

    static func failure(_ text: String) -> String? {
        if text.hasPrefix("unknown command '") || text.hasPrefix("unknown option: '") { return text }
        if text.hasPrefix("File "), text.hasSuffix(" not found") { return text }
        return nil
    }
}
