import Testing
@testable import Telemetry

@Suite struct KernelMetricsTests {
    private func make() -> (PrometheusRegistry, KernelMetrics) {
        let registry = PrometheusRegistry(descriptions: KernelMetrics.descriptions)
        return (registry, KernelMetrics(factory: registry))
    }

    @Test func knownSeriesStartAtZero() {
        let (registry, _) = make()
        let text = registry.render()
        for limit in KernelMetrics.limits {
            #expect(text.contains("ghcbox_resource_limit_breaches_total{limit=\"\(limit)\"} 0\n"))
        }
        for status in KernelMetrics.statuses {
            #expect(text.contains("ghcbox_cells_total{status=\"\(status)\"} 0\n"))
            #expect(text.contains("ghcbox_execution_duration_seconds_count{status=\"\(status)\"} 0\n"))
        }
        #expect(text.contains("# TYPE ghcbox_queue_depth gauge\nghcbox_queue_depth 0\n"))
        #expect(text.contains("# TYPE ghcbox_interrupts_total counter\nghcbox_interrupts_total 0\n"))
        #expect(text.contains("# HELP ghcbox_session_restarts_total GHCi sessions replaced by a fresh one.\n"))
        #expect(text.contains("# TYPE ghcbox_idle_cpu_seconds_total counter\nghcbox_idle_cpu_seconds_total 0\n"))
    }

    @Test func recordsWhatItIsTold() {
        let (registry, metrics) = make()
        metrics.cellFinished(status: "ok", duration: 0.02, cpuSeconds: 0.015, peakMemoryBytes: 100 << 20, breachedLimit: nil,
                             idleCPUSeconds: 2.5)
        metrics.cellFinished(status: "ok", duration: 0.02, cpuSeconds: nil, peakMemoryBytes: nil, breachedLimit: nil,
                             idleCPUSeconds: 0.25)
        metrics.cellFinished(status: "error", duration: 3, cpuSeconds: 2.9, peakMemoryBytes: nil, breachedLimit: "cpu")
        metrics.cellFinished(status: "aborted", duration: 0.5, cpuSeconds: nil, peakMemoryBytes: nil, breachedLimit: nil)
        metrics.cellFinished(status: "weird", duration: 1, cpuSeconds: nil, peakMemoryBytes: nil, breachedLimit: "bogus")
        metrics.queueDepth(4)
        metrics.interrupted()
        metrics.sessionRestarted()
        metrics.sessionRestarted()
        metrics.queueRejected()
        let text = registry.render()
        let expected = [
            #"ghcbox_cells_total{status="ok"} 2"#,
            #"ghcbox_cells_total{status="error"} 1"#,
            #"ghcbox_cells_total{status="aborted"} 1"#,
            #"ghcbox_cells_total{status="other"} 1"#,
            #"ghcbox_execution_duration_seconds_bucket{status="ok",le="0.025"} 2"#,
            #"ghcbox_execution_duration_seconds_bucket{status="ok",le="0.01"} 0"#,
            #"ghcbox_execution_duration_seconds_sum{status="error"} 3"#,
            #"ghcbox_execution_duration_seconds_count{status="aborted"} 1"#,
            #"ghcbox_resource_limit_breaches_total{limit="cpu"} 1"#,
            #"ghcbox_resource_limit_breaches_total{limit="memory"} 0"#,
            #"ghcbox_resource_limit_breaches_total{limit="other"} 1"#,
            #"ghcbox_cell_cpu_seconds_count 2"#,
            #"ghcbox_cell_cpu_seconds_bucket{le="0.01"} 0"#,
            #"ghcbox_cell_cpu_seconds_bucket{le="0.05"} 1"#,
            #"ghcbox_cell_peak_memory_bytes_count 1"#,
            #"ghcbox_cell_peak_memory_bytes_bucket{le="134217728"} 1"#,
            #"ghcbox_cell_peak_memory_bytes_bucket{le="67108864"} 0"#,
            #"ghcbox_cell_peak_memory_bytes_sum 104857600"#,
            "ghcbox_idle_cpu_seconds_total 2.75",
            "ghcbox_queue_depth 4",
            "ghcbox_interrupts_total 1",
            "ghcbox_session_restarts_total 2",
            "ghcbox_queue_rejections_total 1",
        ]
        let lines = Set(text.split(separator: "\n").map(String.init))
        for line in expected {
            #expect(lines.contains(line), "missing: \(line)")
        }
    }
}
