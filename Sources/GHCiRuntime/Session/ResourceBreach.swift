/// A budget a cell went over: which, the figure reached and the budget.
public struct ResourceBreach: Sendable, Equatable {
    public enum Limit: String, Sendable { case memory, cpu, wall, pids, disk }
    public var limit: Limit
    public var reached: String
    public var budget: String

    public var message: String {
        switch limit {
        case .memory: return "memory limit reached: the cell used \(reached) of its \(budget) budget"
        case .cpu: return "CPU time limit reached: the cell used \(reached) of CPU time; the budget is \(budget)"
        case .wall: return "time limit reached: the cell ran for \(reached); the budget is \(budget)"
        case .pids: return "process limit reached: the session tried to run more than \(budget) processes and threads"
        case .disk: return "scratch space full: \(reached) written; the budget is \(budget)"
        }
    }
}

extension ResourceBreach {
    /// Exceptions that are budgets at work: GHC's heap limit (`+RTS -M`, set below the
    /// cgroup's) and a full scratch tmpfs.
    static func raised(by exception: String, budget: CellBudget, usage: CounterSample?) -> ResourceBreach? {
        if exception.contains("heap overflow") {
            let limit = budget.memoryBytes.map(formatBytes) ?? "its"
            return ResourceBreach(limit: .memory, reached: usage.map { formatBytes($0.memoryPeakBytes) } ?? "all", budget: limit)
        }
        if exception.contains("No space left on device") {
            return ResourceBreach(limit: .disk, reached: "all of /scratch", budget: "the scratch size")
        }
        return nil
    }
}

func formatSeconds(_ s: Double) -> String { s < 10 ? String(format: "%.2f s", s) : String(format: "%.0f s", s) }
func formatBytes(_ b: Int) -> String { "\(b / (1 << 20)) MB" }
