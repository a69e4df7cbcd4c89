import Prometheus
import Testing
@testable import Telemetry

@Suite struct KernelMetricsTests {
    private func make() -> (PrometheusCollectorRegistry, KernelMetrics) {
        let factory = DescribedPrometheusFactory(descriptions: KernelMetrics.descriptions)
        return (factory.registry, KernelMetrics(factory: factory))
    }

    @Test func knownSeriesStartAtZero() {
        let (registry, _) = make()
        let lines = expositionLines(registry)
        for limit in KernelMetrics.limits {
            #expect(lines.contains("ghcbox_resource_limit_breaches_total{limit=\"\(limit)\"} 0"))
        }
        for status in KernelMetrics.statuses {
            #expect(lines.contains("ghcbox_cells_total{status=\"\(status)\"} 0"))
            #expect(lines.contains("ghcbox_execution_duration_seconds_count{status=\"\(status)\"} 0"))
        }
        #expect(lines.contains("ghcbox_queue_depth 0.0"))
        #expect(lines.contains("ghcbox_interrupts_total 0"))
        #expect(lines.contains("ghcbox_idle_cpu_seconds_total 0"))
        #expect(lines.contains("ghcbox_cell_cpu_seconds_count 0"))
    }

    @Test func everyMetricHasItsHelpAndType() {
        let (registry, _) = make()
        let lines = expositionLines(registry)
        for description in KernelMetrics.descriptions {
            #expect(lines.contains("# HELP \(description.name) \(description.help)"))
        }
        let types = [
            "ghcbox_execution_duration_seconds": "histogram", "ghcbox_cells_total": "counter", "ghcbox_queue_depth": "gauge",
            "ghcbox_queue_rejections_total": "counter", "ghcbox_resource_limit_breaches_total": "counter",
            "ghcbox_interrupts_total": "counter", "ghcbox_session_restarts_total": "counter",
            "ghcbox_cell_cpu_seconds": "histogram", "ghcbox_cell_peak_memory_bytes": "histogram",
            "ghcbox_idle_cpu_seconds_total": "counter",
        ]
        #expect(types.count == KernelMetrics.descriptions.count)
        for (name, type) in types {
            #expect(lines.contains("# TYPE \(name) \(type)"))
        }
    }

    @Test func histogramsHaveTheirBuckets() {
        let (registry, _) = make()
        let lines = expositionLines(registry)
        for bound in ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "120.0", "300.0", "+Inf"] {
            #expect(lines.contains("ghcbox_execution_duration_seconds_bucket{status=\"ok\",le=\"\(bound)\"} 0"))
        }
        for bound in ["0.001", "0.01", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "120.0", "300.0", "+Inf"] {
            #expect(lines.contains("ghcbox_cell_cpu_seconds_bucket{le=\"\(bound)\"} 0"))
        }
        for mebibytes in [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384] {
            #expect(lines.contains("ghcbox_cell_peak_memory_bytes_bucket{le=\"\(Double(mebibytes << 20))\"} 0"))
        }
        #expect(lines.filter { $0.hasPrefix("ghcbox_execution_duration_seconds_bucket{status=\"ok\"") }.count == 16)
        #expect(lines.filter { $0.hasPrefix("ghcbox_cell_cpu_seconds_bucket") }.count == 15)
        #expect(lines.filter { $0.hasPrefix("ghcbox_cell_peak_memory_bytes_bucket") }.count == 12)
    }

    @Test func recordsWhatItIsTold() {
        let (registry, metrics) = make()
        metrics.cellFinished(status: "ok", duration: .milliseconds(20), cpuTime: .milliseconds(15), peakMemoryBytes: 100 << 20,
                             breachedLimit: nil, idleCPUTime: .milliseconds(2500))
        metrics.cellFinished(status: "ok", duration: .milliseconds(20), cpuTime: nil, peakMemoryBytes: nil, breachedLimit: nil,
                             idleCPUTime: .milliseconds(250))
        metrics.cellFinished(status: "error", duration: .seconds(3), cpuTime: .milliseconds(2900), peakMemoryBytes: nil,
                             breachedLimit: "cpu")
        metrics.cellFinished(status: "aborted", duration: .milliseconds(500), cpuTime: nil, peakMemoryBytes: nil, breachedLimit: nil)
        metrics.cellFinished(status: "weird", duration: .seconds(1), cpuTime: nil, peakMemoryBytes: nil, breachedLimit: "bogus")
        metrics.queueDepth(4)
        metrics.interrupted()
        metrics.sessionRestarted()
        metrics.sessionRestarted()
        metrics.queueRejected()
        // A negative duration counts as zero; negative idle CPU is dropped, since a counter never goes down.
        metrics.cellFinished(status: "ok", duration: .seconds(-1), cpuTime: nil, peakMemoryBytes: nil, breachedLimit: nil,
                             idleCPUTime: .seconds(-1))
        let expected = [
            #"ghcbox_cells_total{status="ok"} 3"#,
            #"ghcbox_cells_total{status="error"} 1"#,
            #"ghcbox_cells_total{status="aborted"} 1"#,
            #"ghcbox_cells_total{status="other"} 1"#,
            #"ghcbox_execution_duration_seconds_bucket{status="ok",le="0.025"} 3"#,
            #"ghcbox_execution_duration_seconds_bucket{status="ok",le="0.01"} 1"#,
            #"ghcbox_execution_duration_seconds_count{status="ok"} 3"#,
            #"ghcbox_execution_duration_seconds_bucket{status="ok",le="0.005"} 1"#,
            #"ghcbox_execution_duration_seconds_sum{status="error"} 3.0"#,
            #"ghcbox_execution_duration_seconds_count{status="aborted"} 1"#,
            #"ghcbox_resource_limit_breaches_total{limit="cpu"} 1"#,
            #"ghcbox_resource_limit_breaches_total{limit="memory"} 0"#,
            #"ghcbox_resource_limit_breaches_total{limit="other"} 1"#,
            #"ghcbox_cell_cpu_seconds_count 2"#,
            #"ghcbox_cell_cpu_seconds_bucket{le="0.01"} 0"#,
            #"ghcbox_cell_cpu_seconds_bucket{le="0.05"} 1"#,
            #"ghcbox_cell_peak_memory_bytes_count 1"#,
            #"ghcbox_cell_peak_memory_bytes_bucket{le="134217728.0"} 1"#,
            #"ghcbox_cell_peak_memory_bytes_bucket{le="67108864.0"} 0"#,
            #"ghcbox_cell_peak_memory_bytes_sum 104857600.0"#,
            "ghcbox_idle_cpu_seconds_total 2.75",
            "ghcbox_queue_depth 4.0",
            "ghcbox_interrupts_total 1",
            "ghcbox_session_restarts_total 2",
            "ghcbox_queue_rejections_total 1",
        ]
        let lines = expositionLines(registry)
        for line in expected {
            #expect(lines.contains(line), "missing: \(line)")
        }
    }
}

@Suite struct MeasuredDurationTests {
    @Test func readingsThatAreNoSpanAreRejected() {
        #expect(Duration(measuredSeconds: 0.25) == .milliseconds(250))
        #expect(Duration(measuredSeconds: 0) == .zero)
        #expect(Duration(measuredSeconds: .nan) == nil)
        #expect(Duration(measuredSeconds: .infinity) == nil)
        #expect(Duration(measuredSeconds: -0.5) == nil)
    }

    @Test func conversionsForMetrics() {
        #expect(Duration.milliseconds(1500).wholeNanoseconds == 1_500_000_000)
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
        #expect(Duration.milliseconds(250).inSeconds == 0.25)
    }
}
