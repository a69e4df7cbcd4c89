/// Decides which of a stream of like events get a log line: at most one per key per interval,
/// and the next line says how many were left out, so a flood costs a few lines, not one each.
public struct LogThrottle<Key: Hashable & Sendable>: Sendable {
    public enum Decision: Equatable, Sendable {
        /// Write a line; `omitted` like events since the previous line had none.
        case log(omitted: Int)
        case omit
    }

    private struct State: Sendable {
        var lastLine: ContinuousClock.Instant
        var omitted = 0
    }

    public let interval: Duration
    private var states: [Key: State] = [:]

    public init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    public mutating func record(_ key: Key, at now: ContinuousClock.Instant) -> Decision {
        if let state = states[key], now - state.lastLine < interval {
            states[key]!.omitted += 1
            return .omit
        }
        let omitted = states[key]?.omitted ?? 0
        states[key] = State(lastLine: now)
        return .log(omitted: omitted)
    }

    /// Keys whose left-out events are owed a line by `now`, with their counts; each is then
    /// counted as logged, so a flood that stops still ends with its total in the log.
    public mutating func due(at now: ContinuousClock.Instant) -> [(key: Key, omitted: Int)] {
        var lines: [(key: Key, omitted: Int)] = []
        for (key, state) in states where state.omitted > 0 && now - state.lastLine >= interval {
            lines.append((key, state.omitted))
            states[key] = State(lastLine: now)
        }
        return lines
    }

    /// When the next owed line falls due, if any is owed.
    public var nextDue: ContinuousClock.Instant? {
        states.values.filter { $0.omitted > 0 }.map { $0.lastLine + interval }.min()
    }
}
