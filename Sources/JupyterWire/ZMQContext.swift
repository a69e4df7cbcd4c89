import CZeroMQ
import Synchronization

/// A libzmq context: owns the I/O threads and creates sockets.
///
/// Sockets keep their context alive, so the context is only terminated after all of them
/// are closed; `terminate()` itself blocks until every socket has been closed.
// Unchecked: `handle` is a raw pointer, and libzmq contexts are thread-safe.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private let terminated = Atomic(false)

    public init() throws(WireError) {
        guard let handle = zmq_ctx_new() else { throw ZMQCall.error("zmq_ctx_new", errno: zmq_errno()) }
        self.handle = handle
    }

    deinit { terminate() }

    public func makeSocket(_ type: ZMQSocketType) throws(WireError) -> ZMQSocket {
        try ZMQSocket(context: self, type: type)
    }

    /// Ends the context; idempotent. Blocks until sockets made from it are closed.
    public func terminate() {
        guard !terminated.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = ZMQCall.attempt { zmq_ctx_term(handle) }
    }
}
