/// What one session may use: memory, CPU and wall time per cell, a CPU ceiling, processes,
/// scratch space, and how many execute requests may wait. The defaults are `builtIn`; the
/// shipped `sandbox/budgets.conf` is generated from it (`defaultsFileText`). See `load` for
/// how that file, the environment and the command line override them.
public struct ResourceBudget: Sendable, Equatable {
    /// Memory ceiling of the whole session (its cgroup's limit), in MB.
    public var memoryMB: Int
    /// CPU time one cell may use, in seconds.
    public var cpuSeconds: Int
    /// Wall-clock time one cell may take, in seconds.
    public var wallSeconds: Int
    /// Processes and threads the session may have at once.
    public var pids: Int
    /// Size of the session's scratch tmpfs, in MB.
    public var scratchMB: Int
    /// Execute requests that may wait while a cell runs.
    public var queueDepth: Int
    /// Output one cell may send (streams and values), in MB; the rest is dropped.
    public var outputMB: Int
    /// CPUs the whole session may keep busy at once, in cells and between them (its
    /// cgroup's CPU quota).
    public var cpus: Int

    public init(memoryMB: Int, cpuSeconds: Int, wallSeconds: Int, pids: Int, scratchMB: Int, queueDepth: Int,
                outputMB: Int = 64, cpus: Int = 1) {
        self.memoryMB = memoryMB
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
        self.pids = pids
        self.scratchMB = scratchMB
        self.queueDepth = queueDepth
        self.outputMB = outputMB
        self.cpus = cpus
    }

    /// The defaults: the one place they are written.
    public static let builtIn = ResourceBudget(
        memoryMB: 2048, cpuSeconds: 60, wallSeconds: 120, pids: 256, scratchMB: 256, queueDepth: 64, outputMB: 64,
        cpus: 1)

    public var memoryBytes: UInt64 { UInt64(memoryMB) << 20 }

    /// GHCi's heap cap, `-M<N>m`, below the cgroup limit so that most breaches end as a
    /// catchable heap overflow instead of an OOM kill. GHCi's own code, the RTS and the
    /// jail's helpers need room outside the heap: 15%, and at least 150 MB when that still
    /// leaves half the budget to the heap.
    public var ghciRTSMemoryFlag: String { "-M\(ghciHeapMB)m" }

    public var ghciHeapMB: Int {
        let heap = memoryMB * 85 / 100
        if memoryMB - heap >= 150 { return heap }
        return max(memoryMB - 150, memoryMB / 2)
    }

    /// One setting: its key in the defaults file (and the command line), its environment
    /// variable and the values it accepts.
    public enum Knob: String, CaseIterable, Sendable {
        case memoryMB = "memory_mb"
        case cpuSeconds = "cpu_seconds"
        case wallSeconds = "wall_seconds"
        case pids = "pids"
        case scratchMB = "scratch_mb"
        case queueDepth = "queue_depth"
        case outputMB = "output_mb"
        case cpus = "cpus"

        public var fileKey: String { rawValue }
        public var environmentVariable: String { "GHCBOX_" + rawValue.uppercased() }
        /// The kernelspec flag the command line spells it as.
        public var flag: String { "--" + String(rawValue.map { $0 == "_" ? "-" : $0 }) }

        /// Bounds that catch typos (a memory ceiling in bytes or GB) without second-guessing
        /// a host's operator: below them GHCi cannot work, above them nothing is limited.
        public var accepted: ClosedRange<Int> {
            switch self {
            case .memoryMB: return 64...1_048_576
            case .cpuSeconds, .wallSeconds: return 1...86_400
            case .pids: return 16...4_194_304
            case .scratchMB, .outputMB: return 1...1_048_576
            case .queueDepth: return 1...100_000
            case .cpus: return 1...1024
            }
        }

        /// One line for `--help`.
        public var summary: String {
            switch self {
            case .memoryMB: "Memory ceiling of the whole session, in MB"
            case .cpuSeconds: "CPU seconds one cell may use"
            case .wallSeconds: "Wall-clock seconds one cell may take"
            case .pids: "Processes and threads the session may have at once"
            case .scratchMB: "Size of the session's /scratch, in MB"
            case .queueDepth: "Execute requests that may wait while a cell runs"
            case .outputMB: "Output one cell may send, in MB"
            case .cpus: "CPUs the session may keep busy at once, in cells and between them"
            }
        }

        /// What the setting does, for the comment above it in the defaults file.
        var explanation: String {
            switch self {
            case .memoryMB:
                "Memory ceiling of the whole session (GHCi and everything it starts), in MB; the\nsession's cgroup limit. GHCi's heap is capped a little below it (+RTS -M)."
            case .cpuSeconds: "CPU time one cell may use, in seconds, before it is stopped."
            case .wallSeconds: "Wall-clock time one cell may take, in seconds, before it is stopped."
            case .pids:
                "Processes and threads the session may have at once (the cgroup's pids.max); GHCi's\nruntime itself needs a few dozen."
            case .scratchMB: "Size of the session's writable scratch directory (its tmpfs), in MB."
            case .queueDepth: "Execute requests that may wait while a cell runs; one more is rejected at once\nwith `queue-full`."
            case .outputMB:
                "Output one cell may send to the notebook (streams and values), in MB; beyond it the\ncell goes on but its output is dropped, with one notice."
            case .cpus:
                "CPUs the whole session may keep busy at once, during cells and between them (the\ncgroup's CPU quota): processes and threads a cell leaves running share it with the\nnext cells."
            }
        }

        var unit: String {
            switch self {
            case .memoryMB, .scratchMB, .outputMB: return "MB"
            case .cpuSeconds, .wallSeconds: return "seconds"
            case .pids: return "processes"
            case .queueDepth: return "requests"
            case .cpus: return "CPUs"
            }
        }
    }

    public subscript(knob: Knob) -> Int {
        get {
            switch knob {
            case .memoryMB: return memoryMB
            case .cpuSeconds: return cpuSeconds
            case .wallSeconds: return wallSeconds
            case .pids: return pids
            case .scratchMB: return scratchMB
            case .queueDepth: return queueDepth
            case .outputMB: return outputMB
            case .cpus: return cpus
            }
        }
        set {
            switch knob {
            case .memoryMB: memoryMB = newValue
            case .cpuSeconds: cpuSeconds = newValue
            case .wallSeconds: wallSeconds = newValue
            case .pids: pids = newValue
            case .scratchMB: scratchMB = newValue
            case .queueDepth: queueDepth = newValue
            case .outputMB: outputMB = newValue
            case .cpus: cpus = newValue
            }
        }
    }
}
