import CoreMetrics
import Prometheus
import Testing
@testable import Telemetry

/// The exposition's lines, for order-free comparison: swift-prometheus emits families in no set order.
func expositionLines(_ registry: PrometheusCollectorRegistry) -> Set<String> {
    Set(registry.emitToString().split(separator: "\n").map(String.init))
}

@Suite struct DescribedPrometheusFactoryTests {
    @Test func aDescribedCounterHasHelpTypeAndValue() {
        let factory = DescribedPrometheusFactory(descriptions: [MetricDescription(name: "jobs_total", help: "Jobs run, all \\ of them.")])
        let counter = CoreMetrics.Counter(label: "jobs_total", factory: factory)
        counter.increment(by: 3)
        counter.increment()
        #expect(factory.registry.emitToString() == """
            # HELP jobs_total Jobs run, all \\\\ of them.
            # TYPE jobs_total counter
            jobs_total 4

            """)
    }

    @Test func anUndescribedMetricHasNoHelpLine() {
        let factory = DescribedPrometheusFactory(descriptions: [])
        CoreMetrics.Counter(label: "plain_total", factory: factory).increment()
        #expect(factory.registry.emitToString() == "# TYPE plain_total counter\nplain_total 1\n")
    }

    @Test func labelValuesAreEscapedAndSeriesAreSeparate() {
        let factory = DescribedPrometheusFactory(descriptions: [MetricDescription(name: "c", help: "C.")])
        CoreMetrics.Counter(label: "c", dimensions: [("path", "a\"b\\c\nd")], factory: factory).increment()
        CoreMetrics.Counter(label: "c", dimensions: [("path", "x")], factory: factory).increment(by: 2)
        CoreMetrics.Counter(label: "c", dimensions: [("path", "x")], factory: factory).increment()
        let lines = expositionLines(factory.registry)
        #expect(lines.contains(#"c{path="a\"b\\c\nd"} 1"#))
        #expect(lines.contains(#"c{path="x"} 3"#))
        #expect(lines.filter { $0.hasPrefix("# HELP c ") }.count == 1)
    }

    @Test func histogramBucketsComeFromTheDescriptionAndAreCumulative() {
        let factory = DescribedPrometheusFactory(descriptions: [MetricDescription(name: "h", help: "H.", buckets: [0.5, 1, 2])])
        let recorder = Recorder(label: "h", dimensions: [("s", "ok")], factory: factory)
        for v in [0.25, 0.5, 0.75, 1.5, 3.0] { recorder.record(v) }
        #expect(factory.registry.emitToString() == """
            # HELP h H.
            # TYPE h histogram
            h_bucket{s="ok",le="0.5"} 2
            h_bucket{s="ok",le="1.0"} 3
            h_bucket{s="ok",le="2.0"} 4
            h_bucket{s="ok",le="+Inf"} 5
            h_sum{s="ok"} 6.0
            h_count{s="ok"} 5

            """)
    }

    @Test func timersObserveSecondsWithTheDescribedBuckets() {
        let factory = DescribedPrometheusFactory(descriptions: [MetricDescription(name: "t_seconds", help: "T.", buckets: [0.005, 0.01, 0.025])])
        CoreMetrics.Timer(label: "t_seconds", factory: factory).recordMilliseconds(20)
        let lines = expositionLines(factory.registry)
        #expect(lines.contains("# TYPE t_seconds histogram"))
        #expect(lines.contains(#"t_seconds_bucket{le="0.005"} 0"#))
        #expect(lines.contains(#"t_seconds_bucket{le="0.01"} 0"#))
        #expect(lines.contains(#"t_seconds_bucket{le="0.025"} 1"#))
        #expect(lines.contains(#"t_seconds_bucket{le="+Inf"} 1"#))
        #expect(lines.contains("t_seconds_sum 0.02"))
        #expect(lines.contains("t_seconds_count 1"))
    }

    @Test func gaugesAreSetNotSummed() {
        let factory = DescribedPrometheusFactory(descriptions: [MetricDescription(name: "g", help: "G.")])
        let gauge = Gauge(label: "g", factory: factory)
        gauge.record(5)
        gauge.record(2)
        #expect(factory.registry.emitToString() == "# HELP g G.\n# TYPE g gauge\ng 2.0\n")
    }

    @Test func destroyedSeriesDisappear() {
        let factory = DescribedPrometheusFactory(descriptions: [MetricDescription(name: "gone_total", help: "Gone.")])
        let counter = CoreMetrics.Counter(label: "gone_total", factory: factory)
        counter.increment()
        #expect(factory.registry.emitToString().contains("gone_total 1\n"))
        counter.destroy()
        #expect(factory.registry.emitToString() == "")
    }
}
