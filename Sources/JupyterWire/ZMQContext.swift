import CZeroMQ
import Foundation

/// A libzmq context: owns the I/O threads and creates sockets.
///
/// Sockets keep their context alive, so the context is only terminated after all of them
/// are closed; `terminate()` itself blocks until every socket has been closed.
public final class ZMQContext: @unchecked Sendable {
    // Safe to share: libzmq contexts are thread-safe, and `terminated` is guarded by `lock`.
    let handle: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var terminated = false

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
        let shouldTerminate = lock.withLock {
            defer { terminated = true }
            return !terminated
        }
        guard shouldTerminate else { return }
        _ = ZMQCall.attempt { zmq_ctx_term(handle) }
    }
}
