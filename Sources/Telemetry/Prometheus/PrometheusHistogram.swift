import CoreMetrics
import Synchronization

/// Observations counted into fixed buckets: backs swift-metrics aggregating recorders and timers
/// (timers observe seconds).
final class PrometheusHistogram: RecorderHandler, TimerHandler, Sendable {
    struct Snapshot: Sendable {
        /// Finite upper bounds, ascending; the `+Inf` bucket is implied.
        let upperBounds: [Double]
        /// Cumulative count for each upper bound, then for `+Inf`.
        let cumulativeCounts: [UInt64]
        let sum: Double
        let count: UInt64
    }

    private struct State {
        var bucketCounts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    let upperBounds: [Double]
    private let state: Mutex<State>

    /// `upperBounds` are sorted and deduplicated; non-finite bounds are dropped (`+Inf` is always there).
    init(upperBounds: [Double]) {
        let bounds = Array(Set(upperBounds.filter { $0.isFinite })).sorted()
        self.upperBounds = bounds
        self.state = Mutex(State(bucketCounts: Array(repeating: 0, count: bounds.count + 1)))
    }

    func record(_ value: Int64) { observe(Double(value)) }
    func record(_ value: Double) { observe(value) }
    func recordNanoseconds(_ duration: Int64) { observe(Double(duration) / 1_000_000_000) }
    func preferDisplayUnit(_ unit: TimeUnit) {}

    func observe(_ value: Double) {
        guard !value.isNaN else { return }
        // Binary search for the first bound >= value; past the end is the +Inf bucket.
        var low = 0
        var high = upperBounds.count
        while low < high {
            let mid = (low + high) / 2
            if upperBounds[mid] >= value { high = mid } else { low = mid + 1 }
        }
        state.withLock {
            $0.bucketCounts[low] += 1
            $0.sum += value
            $0.count += 1
        }
    }

    var snapshot: Snapshot {
        let s = state.withLock { $0 }
        var running: UInt64 = 0
        let cumulative = s.bucketCounts.map { count in
            running += count
            return running
        }
        return Snapshot(upperBounds: upperBounds, cumulativeCounts: cumulative, sum: s.sum, count: s.count)
    }
}
