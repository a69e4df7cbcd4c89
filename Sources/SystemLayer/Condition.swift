#if canImport(Glibc)
import Glibc
#endif

/// A mutex with one condition variable whose timed waits take a `ContinuousClock` deadline,
/// for threads that sleep until another changes shared state. (`Synchronization.Mutex` has no
/// condition to wait on.) The pthread objects live in allocated memory so they never move,
/// and are destroyed and freed with the lock.
public final class Condition: @unchecked Sendable {
    // @unchecked: the state it guards is the caller's, and `mutex` serialises every access to it.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Timed waits count on the monotonic clock, so a change of the wall clock moves no deadline.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    public func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Wakes every waiter; call with the lock held, after changing what they wait for.
    public func broadcast() { pthread_cond_broadcast(condition) }

    /// Sleeps until woken (or spuriously); call with the lock held, and re-check the state after.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Sleeps until woken or until `deadline`; returns false once the deadline has passed.
    /// Call with the lock held, and re-check the state after.
    @discardableResult
    public func wait(until deadline: ContinuousClock.Instant) -> Bool {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { return false }
        var wakeAt = timespec()
        clock_gettime(CLOCK_MONOTONIC, &wakeAt)
        let (seconds, attoseconds) = remaining.components
        let nanoseconds = Int(wakeAt.tv_nsec) + Int(attoseconds / 1_000_000_000)
        wakeAt.tv_sec += Int(seconds) + nanoseconds / 1_000_000_000
        wakeAt.tv_nsec = nanoseconds % 1_000_000_000
        return pthread_cond_timedwait(condition, mutex, &wakeAt) != ETIMEDOUT
    }
}
