import Foundation

/// This session's cells, for `history_request`: tail, range and glob search as IPython answers them.
struct History {
    struct Entry: Equatable {
        let session: Int
        let line: Int
        let input: String
        /// The cell's `execute_result` text, for requests with `output: true`.
        var output: String?
    }

    /// IPython numbers sessions; each kernel start is one.
    let session = 1
    private(set) var entries: [Entry] = []

    mutating func record(_ input: String, line: Int) {
        entries.append(Entry(session: session, line: line, input: input, output: nil))
    }

    mutating func recordOutput(_ output: String, line: Int) {
        if let index = entries.lastIndex(where: { $0.line == line }) { entries[index].output = output }
    }

    /// The last n cells as they ran, repeats included: the spec gives `unique` to search alone,
    /// and IPython's tail ignores it too.
    func tail(_ n: Int) -> [Entry] { Array(entries.suffix(max(0, n))) }

    /// Lines `start ..< stop` of a session (0 or negative means the current one; stop 0 or absent means to the end).
    func range(session: Int, start: Int, stop: Int?) -> [Entry] {
        guard session <= 0 || session == self.session else { return [] }
        return entries.filter { $0.line >= start && (stop == nil || stop! <= 0 || $0.line < stop!) }
    }

    /// Inputs matching a glob (`*`, `?`), newest last; `n` limits to the last n; `unique` drops repeats.
    func search(pattern: String, n: Int?, unique: Bool) -> [Entry] {
        var matched = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
        if unique {
            var seen = Set<String>()
            matched = matched.reversed().filter { seen.insert($0.input).inserted }.reversed()
        }
        if let n, n > 0 { matched = Array(matched.suffix(n)) }
        return matched
    }
}
