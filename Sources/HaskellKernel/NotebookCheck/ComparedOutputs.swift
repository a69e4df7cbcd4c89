import JSONValue

/// What `ghcbox run --check` compares of a cell's outputs, as labelled lines: stream text (the
/// outputs of one stream in a row merged, as a front end shows them), the `text/plain` of values
/// and displays, and errors by name and, unless ignored, message. Other MIME types only when asked.
public struct CompareOptions: Sendable {
    public var ignoreEvalue = false
    public var compareMime = false
    public var sanitizer = Sanitizer.builtIn

    public init(ignoreEvalue: Bool = false, compareMime: Bool = false, sanitizer: Sanitizer = .builtIn) {
        self.ignoreEvalue = ignoreEvalue
        self.compareMime = compareMime
        self.sanitizer = sanitizer
    }
}

public enum ComparedOutputs {
    /// One line per line of output text, each with its kind: `stdout: hello`, `result: 42`,
    /// `error: CompileError: ...`.
    public static func lines(_ outputs: [JSON], options: CompareOptions) -> [String] {
        var lines: [String] = []
        for (label, text) in merged(outputs, options: options) {
            let clean = options.sanitizer.apply(text)
            // A final newline ends the last line; text without one says so, as diff does.
            var parts = clean.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if parts.last == "" { parts.removeLast() }
            lines += parts.map { "\(label): \($0)" }
            if !clean.isEmpty, !clean.hasSuffix("\n"), label == "stdout" || label == "stderr" {
                lines.append("\(label): \\ no newline at the end")
            }
        }
        return lines
    }

    /// (label, text) per compared piece, with the streams in a row merged.
    static func merged(_ outputs: [JSON], options: CompareOptions) -> [(String, String)] {
        var pieces: [(String, String)] = []
        for output in outputs {
            switch output["output_type"]?.stringValue {
            case "stream":
                let name = output["name"]?.stringValue ?? "stdout"
                let text = multiline(output["text"])
                if let last = pieces.last, last.0 == name {
                    pieces[pieces.count - 1].1 += text
                } else {
                    pieces.append((name, text))
                }
            case "execute_result", "display_data":
                let label = output["output_type"]?.stringValue == "execute_result" ? "result" : "display"
                let data = output["data"]?.objectValue ?? [:]
                if let plain = data["text/plain"] { pieces.append((label, multiline(plain))) }
                if options.compareMime {
                    for mime in data.keys.sorted() where mime != "text/plain" {
                        pieces.append(("\(label) \(mime)", multiline(data[mime])))
                    }
                }
            case "error":
                let name = output["ename"]?.stringValue ?? ""
                let message = output["evalue"]?.stringValue ?? ""
                pieces.append(("error", options.ignoreEvalue ? name : "\(name): \(message)"))
            default:
                continue
            }
        }
        return pieces
    }

    /// nbformat writes text as a string or a list of strings.
    static func multiline(_ value: JSON?) -> String {
        if let text = value?.stringValue { return text }
        if let parts = value?.arrayValue { return parts.compactMap(\.stringValue).joined() }
        return value.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? ""
    }
}
