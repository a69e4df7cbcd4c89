/// Where `monotonicNow` counts from: the first time it is asked.
private let sessionClockOrigin = ContinuousClock.now

/// Seconds on the continuous clock, for the session's budgets that count in seconds.
func monotonicNow() -> Double {
    let (seconds, attoseconds) = sessionClockOrigin.duration(to: .now).components
    return Double(seconds) + Double(attoseconds) / 1e18
}
