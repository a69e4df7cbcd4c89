import CoreMetrics
import Synchronization

/// A swift-metrics backend that keeps every value in memory and renders it in the Prometheus
/// text exposition format 0.0.4.
///
/// Counters (integer and floating-point) are Prometheus counters; gauges (recorders with
/// `aggregate: false`) and meters are gauges; aggregating recorders and timers are histograms
/// with fixed buckets (timers in seconds). Asking twice for the same name and dimensions returns
/// the same handler. A name already used by another kind of metric gets a handler that works but
/// is never exported, since Prometheus allows one type per name.
public final class PrometheusRegistry: MetricsFactory, Sendable {
    /// The Prometheus client libraries' default buckets, in seconds.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private enum Series {
        case counter(PrometheusCounter)
        case gauge(PrometheusGauge)
        case histogram(PrometheusHistogram)

        var handler: AnyObject {
            switch self {
            case .counter(let h): return h
            case .gauge(let h): return h
            case .histogram(let h): return h
            }
        }
    }

    private struct Family {
        let kind: MetricKind
        var series: [[Label]: Series] = [:]
    }

    private let descriptions: [String: MetricDescription]
    private let defaultBuckets: [Double]
    private let families = Mutex<[String: Family]>([:])

    /// - Parameters:
    ///   - descriptions: help texts and bucket bounds, by metric name.
    ///   - defaultBuckets: bucket bounds for histograms without a description that names some.
    public init(descriptions: [MetricDescription] = [], defaultBuckets: [Double] = PrometheusRegistry.defaultBuckets) {
        var byName: [String: MetricDescription] = [:]
        for d in descriptions { byName[PrometheusText.metricName(d.name)] = d }
        self.descriptions = byName
        self.defaultBuckets = defaultBuckets
    }

    // MARK: MetricsFactory

    public func makeCounter(label: String, dimensions: [(String, String)]) -> CounterHandler {
        counter(label: label, dimensions: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> FloatingPointCounterHandler {
        counter(label: label, dimensions: dimensions)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> MeterHandler {
        gauge(label: label, dimensions: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> RecorderHandler {
        aggregate ? histogram(label: label, dimensions: dimensions) : gauge(label: label, dimensions: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> TimerHandler {
        histogram(label: label, dimensions: dimensions)
    }

    public func destroyCounter(_ handler: CounterHandler) { remove(handler) }
    public func destroyFloatingPointCounter(_ handler: FloatingPointCounterHandler) { remove(handler) }
    public func destroyMeter(_ handler: MeterHandler) { remove(handler) }
    public func destroyRecorder(_ handler: RecorderHandler) { remove(handler) }
    public func destroyTimer(_ handler: TimerHandler) { remove(handler) }

    // MARK: Registration

    private func counter(label: String, dimensions: [(String, String)]) -> PrometheusCounter {
        let found = series(.counter, label: label, dimensions: dimensions) { .counter(PrometheusCounter()) }
        if case .counter(let h) = found { return h }
        return PrometheusCounter()
    }

    private func gauge(label: String, dimensions: [(String, String)]) -> PrometheusGauge {
        let found = series(.gauge, label: label, dimensions: dimensions) { .gauge(PrometheusGauge()) }
        if case .gauge(let h) = found { return h }
        return PrometheusGauge()
    }

    private func histogram(label: String, dimensions: [(String, String)]) -> PrometheusHistogram {
        let name = PrometheusText.metricName(label)
        let bounds = descriptions[name]?.buckets ?? defaultBuckets
        let found = series(.histogram, label: label, dimensions: dimensions) {
            .histogram(PrometheusHistogram(upperBounds: bounds))
        }
        if case .histogram(let h) = found { return h }
        return PrometheusHistogram(upperBounds: bounds)
    }

    /// The series for `label` and `dimensions`, created if new; nil when the name has another kind.
    private func series(
        _ kind: MetricKind, label: String, dimensions: [(String, String)], make: () -> Series
    ) -> Series? {
        let name = PrometheusText.metricName(label)
        let labels = Label.set(from: dimensions, reserved: kind == .histogram ? ["le"] : [])
        return families.withLock { families -> Series? in
            var family = families[name] ?? Family(kind: kind)
            guard family.kind == kind else { return nil }
            if let existing = family.series[labels] { return existing }
            let created = make()
            family.series[labels] = created
            families[name] = family
            return created
        }
    }

    private func remove(_ handler: AnyObject) {
        families.withLock { families in
            for (name, family) in families {
                guard let key = family.series.first(where: { $0.value.handler === handler })?.key else { continue }
                var updated = family
                updated.series[key] = nil
                families[name] = updated.series.isEmpty ? nil : updated
                return
            }
        }
    }

    // MARK: Exposition

    /// Every family in the text exposition format 0.0.4, families sorted by name and series by labels.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            let help = descriptions[name]?.help ?? name
            out += "# HELP \(name) \(PrometheusText.help(help))\n"
            out += "# TYPE \(name) \(family.kind.rawValue)\n"
            let ordered = family.series.sorted { PrometheusText.labels($0.key) < PrometheusText.labels($1.key) }
            for (labels, series) in ordered {
                switch series {
                case .counter(let h):
                    out += "\(name)\(PrometheusText.labels(labels)) \(PrometheusText.value(h.value))\n"
                case .gauge(let h):
                    out += "\(name)\(PrometheusText.labels(labels)) \(PrometheusText.value(h.value))\n"
                case .histogram(let h):
                    out += Self.histogramLines(name: name, labels: labels, snapshot: h.snapshot)
                }
            }
        }
        return out
    }

    private static func histogramLines(name: String, labels: [Label], snapshot: PrometheusHistogram.Snapshot) -> String {
        var out = ""
        let bounds = snapshot.upperBounds.map(PrometheusText.value) + ["+Inf"]
        for (bound, count) in zip(bounds, snapshot.cumulativeCounts) {
            let withBound = labels + [Label(name: "le", value: bound)]
            out += "\(name)_bucket\(PrometheusText.labels(withBound)) \(count)\n"
        }
        out += "\(name)_sum\(PrometheusText.labels(labels)) \(PrometheusText.value(snapshot.sum))\n"
        out += "\(name)_count\(PrometheusText.labels(labels)) \(snapshot.count)\n"
        return out
    }
}
