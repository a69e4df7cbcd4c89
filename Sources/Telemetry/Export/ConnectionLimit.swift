import NIOCore
import Synchronization

/// Caps the connections open at once, so a flood of clients cannot use up the kernel's descriptors.
final class ConnectionLimit: Sendable {
    struct Reached: Error {}

    let maximum: Int
    private let open = Atomic<Int>(0)

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Counts `channel` as open until it closes; throws `Reached` if `maximum` are open already.
    func admit(_ channel: any Channel) throws(Reached) {
        guard open.add(1, ordering: .relaxed).newValue <= maximum else {
            open.subtract(1, ordering: .relaxed)
            throw Reached()
        }
        channel.closeFuture.whenComplete { _ in self.open.subtract(1, ordering: .relaxed) }
    }
}
