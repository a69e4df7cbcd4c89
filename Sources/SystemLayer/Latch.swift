/// A one-way gate: threads `wait` until some thread has called `open` (a thread that has
/// finished, a result that is ready). Opening twice is harmless.
public final class Latch: Sendable {
    private let condition = Condition()
    // Guarded by `condition`.
    nonisolated(unsafe) private var isOpen = false

    public init() {}

    public func open() {
        condition.withLock {
            isOpen = true
            condition.broadcast()
        }
    }

    public func wait() {
        condition.lock()
        defer { condition.unlock() }
        while !isOpen { condition.wait() }
    }
}
