#if canImport(Glibc)
import Glibc
#endif

extension ResourceBudget {
    /// The budget in force: the defaults file, then the environment, then the command line
    /// (each later one wins). `defaultsFile` nil or missing: `builtIn`, from which the
    /// shipped file is generated. `overrides` are the command line's values. Any bad value throws a `.budget` error naming where it came from
    /// and what is accepted, meant to be shown as is at startup.
    public static func load(
        defaultsFile: String?, environment: [String: String], overrides: [Knob: Int] = [:]
    ) throws(SandboxError) -> ResourceBudget {
        var budget = builtIn
        if let path = defaultsFile {
            do throws(SandboxError) {
                try budget.apply(file: String(decoding: try readWholeFile(path), as: UTF8.self), path: path)
            } catch where error.code == .read && error.errno == ENOENT {
                // A missing file is the documented fallback, not an error.
            }
        }
        for knob in Knob.allCases {
            if let text = environment[knob.environmentVariable] {
                budget[knob] = try value(text, for: knob, from: "environment variable \(knob.environmentVariable)")
            }
        }
        for knob in Knob.allCases {
            if let number = overrides[knob] { budget[knob] = try checked(number, for: knob, from: "command-line flag \(knob.flag)") }
        }
        return budget
    }

    /// Applies a `key = value` file: blank lines and `#` comments are skipped; a key may
    /// appear once.
    mutating func apply(file text: String, path: String) throws(SandboxError) {
        var seen: Set<Knob> = []
        // "\r\n" is one Character in Swift: a file saved on Windows still has one line per line.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            let line = raw.prefix { $0 != "#" }.trimmed
            if line.isEmpty { continue }
            let place = "\(path) line \(index + 1)"
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw SandboxError(.budget, errno: EINVAL, detail: "\(place): expected 'key = value', got '\(line)'")
            }
            let key = parts[0].trimmed
            guard let knob = Knob(rawValue: key) else {
                throw SandboxError(.budget, errno: EINVAL, detail: "\(place): unknown budget '\(key)'; known: \(Self.knownKeys)")
            }
            guard seen.insert(knob).inserted else {
                throw SandboxError(.budget, errno: EINVAL, detail: "\(place): '\(key)' is set twice")
            }
            self[knob] = try Self.value(parts[1].trimmed, for: knob, from: place)
        }
    }

    /// `text` as a value of `knob`; a bad one throws a `.budget` error naming `source`, the
    /// text and the accepted range (callers that report every bad setting check each one).
    public static func value(_ text: String, for knob: Knob, from source: String) throws(SandboxError) -> Int {
        let range = knob.accepted
        let accepted = "\(knob.fileKey) accepts a whole number of \(knob.unit) from \(range.lowerBound) to \(range.upperBound)"
        let trimmed = text.trimmed
        guard let number = Int(trimmed) else {
            throw SandboxError(.budget, errno: EINVAL, detail: "\(source): '\(text)' is not a whole number; \(accepted)")
        }
        return try checked(number, for: knob, from: source)
    }

    static func checked(_ number: Int, for knob: Knob, from source: String) throws(SandboxError) -> Int {
        let range = knob.accepted
        guard range.contains(number) else {
            let accepted = "\(knob.fileKey) accepts a whole number of \(knob.unit) from \(range.lowerBound) to \(range.upperBound)"
            throw SandboxError(.budget, errno: ERANGE, detail: "\(source): \(number) is out of range; \(accepted)")
        }
        return number
    }

    /// This budget as a budgets file: the shipped `sandbox/budgets.conf` is `builtIn.fileText`.
    public var fileText: String {
        var text = """
            # ghcbox per-session resource budgets.
            #
            # Format: one `key = value` per line; values are whole numbers; `#` starts a comment.
            # Every key may be overridden, later winning over earlier:
            #   this file  <  environment variable (GHCBOX_<KEY>, e.g. GHCBOX_MEMORY_MB=4096)
            #              <  command-line flag in the kernelspec (--<key> with dashes, e.g. --memory-mb 4096)
            # A bad value (not a whole number, or outside the accepted range) makes the kernel refuse every
            # cell, naming it; `ghcbox kernel --check-config` lists the problems without starting.
            # `ghcbox budgets --defaults` writes this file; `ghcbox budgets` shows the budget in force.

            """
        for knob in Knob.allCases {
            let range = knob.accepted
            let comment = knob.explanation + " Accepted: \(range.lowerBound) to \(range.upperBound)."
            text += "\n" + comment.split(separator: "\n").map { "# " + $0 }.joined(separator: "\n") + "\n"
            text += "\(knob.fileKey) = \(self[knob])\n"
        }
        return text
    }

    private static var knownKeys: String { Knob.allCases.map(\.fileKey).joined(separator: ", ") }
}

extension StringProtocol {
    /// Without leading and trailing blanks (spaces, tabs, carriage returns).
    var trimmed: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
