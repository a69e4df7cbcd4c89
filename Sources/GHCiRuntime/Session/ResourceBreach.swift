/// A budget a cell went over: which, the figure reached and the budget.
public struct ResourceBreach: Sendable, Equatable {
    public enum Limit: String, Sendable { case memory, cpu, wall, pids, disk }
    public var limit: Limit
    public var reached: String
    public var budget: String

    public var message: String {
        switch limit {
        case .memory: return "memory limit reached: the session used \(reached) of its \(budget) budget"
        case .cpu: return "CPU time limit reached: the cell used \(reached) of CPU time; the budget is \(budget)"
        case .wall: return "time limit reached: the cell ran for \(reached); the budget is \(budget)"
        case .pids: return "process limit reached: the session tried to run more than \(budget) processes and threads"
        case .disk: return "scratch space full: \(reached) written; the budget is \(budget)"
        }
    }
}

extension ResourceBreach {
    /// The limit a cell's own counters (`CounterSample.since` the cell began) show it hit,
    /// if any. An OOM event or kill, or a refused fork, is a breach however the cell ended.
    /// Reaching the memory limit is one only when the cell also failed: the kernel reclaims
    /// page cache at the limit, and a cell that went on fine did not breach anything.
    static func counted(_ cell: CounterSample, cellFailed: Bool, budget: CellBudget) -> ResourceBreach? {
        if cell.oomKills > 0 || cell.oomEvents > 0 || (cellFailed && cell.memoryLimitHits > 0) {
            return memory(reached: max(cell.memoryPeakBytes, budget.memoryBytes ?? 0), budget: budget)
        }
        if cell.pidsLimitHits > 0 {
            let limit = budget.pids.map { "\($0)" } ?? "its"
            return ResourceBreach(limit: .pids, reached: limit, budget: limit)
        }
        return nil
    }

    /// Exceptions that are budgets at work: GHC's heap limit (`+RTS -M`, set below the
    /// cgroup's, so the cgroup's counters do not see it) and a full scratch tmpfs.
    static func raised(by exception: String, budget: CellBudget, usage: CounterSample?) -> ResourceBreach? {
        if exception.contains("heap overflow") {
            return memory(reached: usage?.memoryPeakBytes, budget: budget)
        }
        if exception.contains("No space left on device") {
            return ResourceBreach(limit: .disk, reached: "all of /scratch", budget: "the scratch size")
        }
        return nil
    }

    private static func memory(reached: Int?, budget: CellBudget) -> ResourceBreach {
        ResourceBreach(limit: .memory, reached: reached.map(formatBytes) ?? "all",
                       budget: budget.memoryBytes.map(formatBytes) ?? "its")
    }
}

func formatSeconds(_ s: Double) -> String { s < 10 ? String(format: "%.2f s", s) : String(format: "%.0f s", s) }
func formatBytes(_ b: Int) -> String { "\(b / (1 << 20)) MB" }
