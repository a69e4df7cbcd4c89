import Foundation

/// What is decided about a session after a breach: kept, or replaced and why.
enum BreachRecovery: Equatable {
    /// The session passed the probe; its definitions are kept.
    case kept
    /// GHCi had already gone (it died at the limit, or did not stop in time) and was replaced.
    case ended(why: String)
    /// The probe found the session unfit; `why` completes "the session ... after the breach".
    case replaced(why: String)

    /// The sentence the breach's reply ends with.
    var sentence: String {
        switch self {
        case .kept: return "The session recovered: earlier definitions are kept."
        case .ended(let why): return "\(why); a fresh session was started: earlier definitions were lost."
        case .replaced(let why): return "The session \(why) after the breach; it was restarted: earlier definitions were lost."
        }
    }

    var restarted: Bool { self != .kept }
}

/// The post-breach probe: a trivial command that also reports the heap's live bytes after a
/// major GC, and the verdict on what it found.
enum HealthProbe {
    /// GHC.Stats gives the live data the major GC just kept. The cgroup's memory after the
    /// same GC is no measure of it: the RTS keeps the blocks it copied out of for reuse, so
    /// 52, 128 and 242 MB live read as 135, 307 and 460 MB in the cgroup (GHC 9.0.2, -M450m).
    /// Names are qualified so that the probe works whatever the cell imported or hid; the
    /// value goes out as an expression's result, so the cell's own stdout buffering does not
    /// hold it back. `Nothing` when GHCi runs without `+RTS -T`.
    static let command = "System.Mem.performMajorGC Prelude.>> GHC.Stats.getRTSStatsEnabled Prelude.>>= "
        + "Data.Bool.bool (Prelude.return Prelude.Nothing) "
        + "(Prelude.fmap (Prelude.Just Prelude.. GHC.Stats.gcdetails_live_bytes Prelude.. GHC.Stats.gc) GHC.Stats.getRTSStats)"

    /// Seconds the probe may take: a major GC of a few hundred MB takes well under one.
    static let timeout = Duration.seconds(5)

    /// The live bytes in the probe's captured output; nil if it printed none (`Nothing`, or
    /// it failed before printing).
    static func liveBytes(in captured: String) -> Int? {
        guard let range = captured.range(of: "Just ", options: .backwards) else { return nil }
        return Int(captured[range.upperBound...].prefix { $0.isNumber })
    }

    /// Why the session cannot be kept, completing "the session ... after the breach"; nil
    /// when it can. `liveBytes`: the heap's live data after the probe's GC (the cgroup's
    /// charge stands in when GHCi keeps no statistics); `pids`: its processes and threads.
    static func verdict(answered: Bool, liveBytes: Int?, pids: Int?, budget: CellBudget) -> String? {
        let share = CellBudget.keepableShare
        if let live = liveBytes, let memory = budget.memoryBytes, Double(live) >= Double(memory) * share {
            return "still held \(formatBytes(live)) of the \(formatBytes(memory)) budget"
        }
        if let pids, let limit = budget.pids, Double(pids) >= Double(limit) * share {
            return "still ran \(pids) of its \(limit) processes and threads"
        }
        return answered ? nil : "did not run a trivial command"
    }
}
