import GHCiRuntime
import InterpreterAPI
import JSONValue
import Sandbox

extension HaskellInterpreter {
    /// The session's cgroup counters and the budgets it runs under. The counters are the
    /// cgroup's files, read without waiting for the cell that may be running; without a
    /// cgroup (or while no GHCi runs) the kernel counts its child processes instead.
    public func usage() -> SessionUsage {
        let sample = session.countersNow()
        let budgets = ResourceBudget.Knob.allCases.map { ($0.fileKey, JSON.int(budget[$0])) }
        var details: [String: JSON] = [
            "sandbox": .string(session.launcher.isolation),
            // Whether the running session is counted by a cgroup (false while no GHCi runs).
            "cgroup": .bool(sample != nil),
            "budgets": .object(Dictionary(uniqueKeysWithValues: budgets)),
            "session": .null,
        ]
        guard let sample else { return SessionUsage(details: details) }
        details["session"] = [
            "cpu_seconds": .double(sample.cpuSeconds),
            "memory_bytes": .int(sample.memoryBytes),
            // Since the last cell started.
            "cell_peak_memory_bytes": .int(sample.memoryPeakBytes),
            "pids": .int(sample.pids),
            "memory_limit_hits": .int(sample.memoryLimitHits),
            "oom_kills": .int(sample.oomKills),
            "pids_limit_hits": .int(sample.pidsLimitHits),
        ]
        return SessionUsage(cpuSeconds: sample.cpuSeconds, memoryBytes: sample.memoryBytes, details: details)
    }
}
