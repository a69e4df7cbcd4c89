import CoreMetrics
import Synchronization

/// A monotonically increasing value: backs both integer and floating-point swift-metrics counters.
final class PrometheusCounter: CounterHandler, FloatingPointCounterHandler, Sendable {
    private let total = Mutex<Double>(0)

    func increment(by amount: Int64) {
        increment(by: Double(amount))
    }

    func increment(by amount: Double) {
        // A counter never goes down; a negative or NaN increment is a caller's bug and is dropped.
        guard amount > 0 else { return }
        total.withLock { $0 += amount }
    }

    func reset() {
        total.withLock { $0 = 0 }
    }

    var value: Double { total.withLock { $0 } }
}
