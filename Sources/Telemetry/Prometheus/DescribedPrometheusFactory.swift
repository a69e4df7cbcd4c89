import CoreMetrics
import Prometheus

/// A swift-metrics backend over swift-prometheus that gives each described metric its `# HELP`
/// text and buckets.
///
/// swift-prometheus's `PrometheusMetricsFactory` registers every metric with an empty help text,
/// and its registry stops the process when one name is registered with two help texts, so a
/// described metric is registered here, through the registry, and only through here. Metrics
/// without a description go to `PrometheusMetricsFactory` unchanged.
public struct DescribedPrometheusFactory: MetricsFactory {
    public let registry: PrometheusCollectorRegistry
    private let descriptions: [String: MetricDescription]
    private let undescribed: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), descriptions: [MetricDescription]) {
        self.registry = registry
        self.descriptions = Dictionary(descriptions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.undescribed = PrometheusMetricsFactory(registry: registry)
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        guard let described = descriptions[label] else { return undescribed.makeCounter(label: label, dimensions: dimensions) }
        return registry.makeCounter(descriptor: described.prometheus, labels: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        guard let described = descriptions[label] else {
            return undescribed.makeFloatingPointCounter(label: label, dimensions: dimensions)
        }
        return registry.makeCounter(descriptor: described.prometheus, labels: dimensions)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        guard let described = descriptions[label] else { return undescribed.makeMeter(label: label, dimensions: dimensions) }
        return registry.makeGauge(descriptor: described.prometheus, labels: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard let described = descriptions[label] else {
            return undescribed.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
        }
        guard aggregate else { return registry.makeGauge(descriptor: described.prometheus, labels: dimensions) }
        let buckets = described.buckets ?? undescribed.defaultValueHistogramBuckets
        return registry.makeValueHistogram(descriptor: described.prometheus, labels: dimensions, buckets: buckets)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        guard let described = descriptions[label] else { return undescribed.makeTimer(label: label, dimensions: dimensions) }
        let buckets = described.buckets.map { $0.map(Self.duration(seconds:)) } ?? undescribed.defaultDurationHistogramBuckets
        return registry.makeDurationHistogram(descriptor: described.prometheus, labels: dimensions, buckets: buckets)
    }

    // Unregistering goes by the handler's type, whichever way it was made.
    public func destroyCounter(_ handler: any CounterHandler) { undescribed.destroyCounter(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        undescribed.destroyFloatingPointCounter(handler)
    }
    public func destroyMeter(_ handler: any MeterHandler) { undescribed.destroyMeter(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { undescribed.destroyRecorder(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { undescribed.destroyTimer(handler) }

    /// Whole nanoseconds, so a bound written `0.005` is printed `le="0.005"`, not a binary fraction.
    private static func duration(seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}

extension MetricDescription {
    /// The whole name goes in `metricName`, so swift-prometheus prints it as it is.
    fileprivate var prometheus: MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
