#if canImport(Glibc)
import Glibc
#endif

/// The calendar time (UTC, since the Unix epoch) to the nanosecond, for timestamps that
/// leave the process. Never for deadlines or spans: those use `ContinuousClock`.
public struct WallClockTime: Sendable {
    public let seconds: Int
    public let nanoseconds: Int

    public static func now() -> WallClockTime {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return WallClockTime(seconds: now.tv_sec, nanoseconds: now.tv_nsec)
    }
}
