import CZeroMQ
import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

/// Waits until any of several sockets or plain file descriptors becomes readable.
/// A file descriptor lets another thread wake a poll loop by writing to a pipe.
public struct ZMQPoller {
    public enum Item {
        case socket(ZMQSocket)
        case fd(Int32)
    }

    /// Readable flags in the order of `items`. A nil timeout waits forever; a signal
    /// interrupting the wait returns all false rather than restarting the timeout.
    public static func poll(_ items: [Item], timeout: Duration?) throws(WireError) -> [Bool] {
        let timeoutMs = timeout.map { Int(clamping: $0.wholeMillisecondsRoundedUp) } ?? -1
        var pollItems: [zmq_pollitem_t] = []
        pollItems.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .socket(let socket):
                pollItems.append(zmq_pollitem_t(socket: try socket.openHandle(), fd: -1, events: Int16(ZMQ_POLLIN), revents: 0))
            case .fd(let fd):
                pollItems.append(zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0))
            }
        }
        let count = Int32(pollItems.count)
        let outcome = ZMQCall.attempt(retryingInterrupts: false) {
            zmq_poll(&pollItems, count, timeoutMs)
        }
        if outcome.failed {
            if outcome.errno == EINTR { return Array(repeating: false, count: items.count) }
            throw ZMQCall.error("zmq_poll", errno: outcome.errno)
        }
        return pollItems.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
