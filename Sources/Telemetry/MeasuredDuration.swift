extension Duration {
    /// A measured span given in seconds (a cgroup's CPU time, say), or nil for a reading that is
    /// no span: NaN, infinite, negative, or beyond any cell's lifetime.
    public init?(measuredSeconds seconds: Double) {
        guard seconds.isFinite, seconds >= 0, seconds < 1e12 else { return nil }
        self = .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// Whole nanoseconds, as swift-metrics' timers take them; spans past Int64's range saturate.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    /// Seconds, for histograms and counters whose unit is seconds.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
