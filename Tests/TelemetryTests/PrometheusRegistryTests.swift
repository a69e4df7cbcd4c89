import CoreMetrics
import Testing
@testable import Telemetry

@Suite struct PrometheusRegistryTests {
    @Test func counterHasHelpTypeAndValue() {
        let registry = PrometheusRegistry(descriptions: [MetricDescription(name: "jobs_total", help: "Jobs run.\nAll of them \\ really.")])
        let counter = Counter(label: "jobs_total", factory: registry)
        counter.increment(by: 3)
        counter.increment()
        #expect(registry.render() == """
            # HELP jobs_total Jobs run.\\nAll of them \\\\ really.
            # TYPE jobs_total counter
            jobs_total 4

            """)
    }

    @Test func labelValuesAreEscapedAndSorted() {
        let registry = PrometheusRegistry()
        Counter(label: "c", dimensions: [("path", "a\"b\\c\nd"), ("kind", "x")], factory: registry).increment()
        #expect(registry.render().contains(#"c{kind="x",path="a\"b\\c\nd"} 1"#))
    }

    @Test func namesAreSanitised() {
        let registry = PrometheusRegistry()
        Counter(label: "my.metric-name", dimensions: [("bad-label", "v"), ("9x", "w")], factory: registry).increment()
        #expect(registry.render().contains(#"my_metric_name{_9x="w",bad_label="v"} 1"#))
    }

    @Test func sameNameAndLabelsShareOneSeries() {
        let registry = PrometheusRegistry()
        Counter(label: "c", dimensions: [("a", "1"), ("b", "2")], factory: registry).increment()
        Counter(label: "c", dimensions: [("b", "2"), ("a", "1")], factory: registry).increment(by: 2)
        #expect(registry.render().contains(#"c{a="1",b="2"} 3"#))
    }

    @Test func familiesAndSeriesAreSorted() {
        let registry = PrometheusRegistry()
        Counter(label: "zeta", factory: registry).increment()
        Counter(label: "alpha", dimensions: [("s", "b")], factory: registry).increment()
        Counter(label: "alpha", dimensions: [("s", "a")], factory: registry).increment()
        // A family without a description uses its name as its help text.
        #expect(registry.render() == """
            # HELP alpha alpha
            # TYPE alpha counter
            alpha{s="a"} 1
            alpha{s="b"} 1
            # HELP zeta zeta
            # TYPE zeta counter
            zeta 1

            """)
    }

    @Test func histogramBucketsAreCumulative() {
        let registry = PrometheusRegistry(descriptions: [MetricDescription(name: "h", help: "H.", buckets: [1, 0.5, 2])])
        let recorder = Recorder(label: "h", dimensions: [("s", "ok")], factory: registry)
        for v in [0.1, 0.5, 0.7, 1.5, 3.0] { recorder.record(v) }
        #expect(registry.render() == """
            # HELP h H.
            # TYPE h histogram
            h_bucket{s="ok",le="0.5"} 2
            h_bucket{s="ok",le="1"} 3
            h_bucket{s="ok",le="2"} 4
            h_bucket{s="ok",le="+Inf"} 5
            h_sum{s="ok"} 5.8
            h_count{s="ok"} 5

            """)
    }

    @Test func timersObserveSeconds() {
        let registry = PrometheusRegistry()
        Timer(label: "t_seconds", factory: registry).recordMilliseconds(20)
        let text = registry.render()
        #expect(text.contains("# TYPE t_seconds histogram"))
        #expect(text.contains(#"t_seconds_bucket{le="0.01"} 0"#))
        #expect(text.contains(#"t_seconds_bucket{le="0.025"} 1"#))
        #expect(text.contains("t_seconds_sum 0.02\n"))
    }

    @Test func gaugesAndMetersAreSetNotSummed() {
        let registry = PrometheusRegistry()
        let gauge = Gauge(label: "g", factory: registry)
        gauge.record(5)
        gauge.record(2)
        let meter = Meter(label: "m", factory: registry)
        meter.set(10)
        meter.decrement(by: 2.5)
        let text = registry.render()
        #expect(text.contains("# TYPE g gauge\ng 2\n"))
        #expect(text.contains("# TYPE m gauge\nm 7.5\n"))
    }

    @Test func aNameKeepsItsFirstType() {
        let registry = PrometheusRegistry()
        Counter(label: "x", factory: registry).increment()
        Gauge(label: "x", factory: registry).record(42)
        let text = registry.render()
        #expect(text.contains("# TYPE x counter\nx 1\n"))
        #expect(!text.contains("42"))
    }

    @Test func destroyedSeriesDisappear() {
        let registry = PrometheusRegistry()
        let counter = Counter(label: "gone", factory: registry)
        counter.increment()
        counter.destroy()
        #expect(registry.render() == "")
    }

    @Test func specialValuesUsePrometheusSpelling() {
        #expect(PrometheusText.value(.infinity) == "+Inf")
        #expect(PrometheusText.value(-.infinity) == "-Inf")
        #expect(PrometheusText.value(.nan) == "NaN")
        #expect(PrometheusText.value(3) == "3")
        #expect(PrometheusText.value(0.25) == "0.25")
    }
}
