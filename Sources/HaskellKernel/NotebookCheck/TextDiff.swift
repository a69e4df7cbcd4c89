/// A line diff of two short texts, as `-` (stored) and `+` (new) lines around the common ones:
/// enough to show a cell's change, not a general diff tool. Outputs of more than `limit` lines
/// on either side are shown whole, old then new.
public enum TextDiff {
    public enum Line: Equatable, Sendable {
        case same(String), removed(String), added(String)
    }

    public static func lines(old: [String], new: [String], limit: Int = 2000) -> [Line] {
        guard old.count <= limit, new.count <= limit else { return old.map(Line.removed) + new.map(Line.added) }
        // Longest common subsequence table, from the ends, so the walk below goes forwards.
        var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var result: [Line] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                result.append(.same(old[i])); i += 1; j += 1
            } else if i < old.count, j == new.count || table[i + 1][j] >= table[i][j + 1] {
                // The stored line first, then what replaced it.
                result.append(.removed(old[i])); i += 1
            } else {
                result.append(.added(new[j])); j += 1
            }
        }
        return result
    }
}
