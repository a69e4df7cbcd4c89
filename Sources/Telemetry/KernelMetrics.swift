import CoreMetrics
import Synchronization

/// The metrics ghcbox records, made through the swift-metrics API so any backend can take them.
///
/// Every known status and limit has its series from the start, so a dashboard sees zeros rather
/// than missing series. An unknown status or limit is recorded as `other`, keeping the number of
/// series bounded.
public final class KernelMetrics: Sendable {
    public enum Name {
        public static let executionDuration = "ghcbox_execution_duration_seconds"
        public static let cells = "ghcbox_cells_total"
        public static let queueDepth = "ghcbox_queue_depth"
        public static let queueRejections = "ghcbox_queue_rejections_total"
        public static let limitBreaches = "ghcbox_resource_limit_breaches_total"
        public static let interrupts = "ghcbox_interrupts_total"
        public static let sessionRestarts = "ghcbox_session_restarts_total"
        public static let cellCPU = "ghcbox_cell_cpu_seconds"
        public static let cellPeakMemory = "ghcbox_cell_peak_memory_bytes"
        public static let idleCPU = "ghcbox_idle_cpu_seconds_total"
    }

    /// The `status` label values: the execute reply's status.
    public static let statuses = ["ok", "error", "aborted"]
    /// The `limit` label values: the resource budget that was exceeded.
    public static let limits = ["memory", "cpu", "wall", "pids", "disk"]
    /// Stands in for a status or limit not in the lists above.
    public static let other = "other"

    private static let mebibyte = 1024.0 * 1024.0

    /// Help texts and buckets, for `DescribedPrometheusFactory(descriptions:)`.
    public static let descriptions: [MetricDescription] = [
        MetricDescription(
            name: Name.executionDuration, help: "Wall-clock time of a cell's execution in seconds, by reply status.",
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]),
        MetricDescription(name: Name.cells, help: "Cells executed, by reply status."),
        MetricDescription(name: Name.queueDepth, help: "Execute requests waiting behind the running cell."),
        MetricDescription(name: Name.queueRejections, help: "Execute requests rejected because the queue was full."),
        MetricDescription(name: Name.limitBreaches, help: "Cells stopped for exceeding a resource budget, by limit."),
        MetricDescription(name: Name.interrupts, help: "Interrupt requests received."),
        MetricDescription(name: Name.sessionRestarts, help: "GHCi sessions replaced by a fresh one."),
        MetricDescription(
            name: Name.cellCPU, help: "CPU time used by a cell in seconds.",
            buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]),
        MetricDescription(
            name: Name.cellPeakMemory, help: "Peak memory of the session's cgroup during a cell in bytes.",
            buckets: [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384].map { $0 * mebibyte }),
        MetricDescription(
            name: Name.idleCPU,
            help: "CPU time sessions used between cells in seconds (work a cell left running), counted as the next cell starts."),
    ]

    private struct ByStatus: Sendable {
        let duration: Timer
        let cells: Counter
    }

    private let factory: any MetricsFactory
    private let byStatus: Mutex<[String: ByStatus]>
    private let breaches: Mutex<[String: Counter]>
    private let queue: Gauge
    private let rejections: Counter
    private let interrupts: Counter
    private let restarts: Counter
    private let cpu: Recorder
    private let peakMemory: Recorder
    private let idleCPU: FloatingPointCounter

    public init(factory: any MetricsFactory) {
        self.factory = factory
        var byStatus: [String: ByStatus] = [:]
        for status in Self.statuses { byStatus[status] = Self.series(status: status, factory: factory) }
        self.byStatus = Mutex(byStatus)
        var breaches: [String: Counter] = [:]
        for limit in Self.limits { breaches[limit] = Self.breachCounter(limit: limit, factory: factory) }
        self.breaches = Mutex(breaches)
        queue = Gauge(label: Name.queueDepth, factory: factory)
        rejections = Counter(label: Name.queueRejections, factory: factory)
        interrupts = Counter(label: Name.interrupts, factory: factory)
        restarts = Counter(label: Name.sessionRestarts, factory: factory)
        cpu = Recorder(label: Name.cellCPU, aggregate: true, factory: factory)
        peakMemory = Recorder(label: Name.cellPeakMemory, aggregate: true, factory: factory)
        idleCPU = FloatingPointCounter(label: Name.idleCPU, factory: factory)
        queue.record(0)
    }

    /// Records a finished cell: `status` is the reply's (`ok`, `error`, `aborted`), `duration` its
    /// wall-clock time, `cpuTime` the CPU it used, `breachedLimit` names the exceeded budget, if
    /// any, and `idleCPUTime` is the session's CPU between the previous cell's end and this one's start.
    public func cellFinished(status: String, duration: Duration, cpuTime: Duration?, peakMemoryBytes: Int?, breachedLimit: String?,
                             idleCPUTime: Duration? = nil) {
        let series = self.series(status: status)
        series.duration.recordNanoseconds(max(duration, .zero).wholeNanoseconds)
        series.cells.increment()
        if let cpuTime { cpu.record(max(cpuTime, .zero).inSeconds) }
        // A counter never goes down; swift-prometheus traps on a negative increment.
        if let idleCPUTime, idleCPUTime > .zero { idleCPU.increment(by: idleCPUTime.inSeconds) }
        if let peakMemoryBytes { peakMemory.record(peakMemoryBytes) }
        if let breachedLimit { breachCounter(limit: breachedLimit).increment() }
    }

    /// Sets the number of requests waiting behind the running cell.
    public func queueDepth(_ n: Int) {
        queue.record(n)
    }

    public func interrupted() {
        interrupts.increment()
    }

    public func sessionRestarted() {
        restarts.increment()
    }

    /// An execute request turned away because the queue was full (`queue-full`); it is not a cell.
    public func queueRejected() {
        rejections.increment()
    }

    private func series(status: String) -> ByStatus {
        let key = Self.statuses.contains(status) ? status : Self.other
        return byStatus.withLock { table in
            if let found = table[key] { return found }
            let made = Self.series(status: key, factory: factory)
            table[key] = made
            return made
        }
    }

    private func breachCounter(limit: String) -> Counter {
        let key = Self.limits.contains(limit) ? limit : Self.other
        return breaches.withLock { table in
            if let found = table[key] { return found }
            let made = Self.breachCounter(limit: key, factory: factory)
            table[key] = made
            return made
        }
    }

    private static func series(status: String, factory: any MetricsFactory) -> ByStatus {
        ByStatus(
            duration: Timer(label: Name.executionDuration, dimensions: [("status", status)], factory: factory),
            cells: Counter(label: Name.cells, dimensions: [("status", status)], factory: factory))
    }

    private static func breachCounter(limit: String, factory: any MetricsFactory) -> Counter {
        Counter(label: Name.limitBreaches, dimensions: [("limit", limit)], factory: factory)
    }
}
