import CoreMetrics
import Synchronization

/// A value that goes up and down: backs swift-metrics gauges (non-aggregating recorders) and meters.
final class PrometheusGauge: RecorderHandler, MeterHandler, Sendable {
    private let current = Mutex<Double>(0)

    func record(_ value: Int64) { set(Double(value)) }
    func record(_ value: Double) { set(value) }
    func set(_ value: Int64) { set(Double(value)) }
    func set(_ value: Double) { current.withLock { $0 = value } }
    func increment(by amount: Double) { current.withLock { $0 += amount } }
    func decrement(by amount: Double) { current.withLock { $0 -= amount } }

    var value: Double { current.withLock { $0 } }
}
