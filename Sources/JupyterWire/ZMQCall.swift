import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// The one place libzmq is called through: EINTR retries and errno-to-error mapping live here.
enum ZMQCall {
    /// The outcome of a libzmq call: its return value, and `zmq_errno()` when it failed.
    struct Outcome {
        var result: Int32
        var errno: Int32
        var failed: Bool { result == -1 }

        /// The result, or a `.zmq` error naming `operation` when the call failed.
        @discardableResult
        func orThrow(_ operation: String) throws(WireError) -> Int32 {
            if failed { throw ZMQCall.error(operation, errno: errno) }
            return result
        }
    }

    /// Runs `call`, retrying while it fails with EINTR (a signal arrived mid-call).
    /// `zmq_poll` opts out so its caller can return early instead of restarting the timeout.
    static func attempt(retryingInterrupts: Bool = true, _ call: () -> Int32) -> Outcome {
        while true {
            let result = call()
            guard result == -1 else { return Outcome(result: result, errno: 0) }
            let code = zmq_errno()
            if code == EINTR && retryingInterrupts { continue }
            return Outcome(result: result, errno: code)
        }
    }

    /// Runs `call` and throws a `.zmq` error naming `operation` when it fails.
    @discardableResult
    static func run(_ operation: String, _ call: () -> Int32) throws(WireError) -> Int32 {
        try attempt(call).orThrow(operation)
    }

    static func error(_ operation: String, errno: Int32) -> WireError {
        WireError(.zmq, "\(operation): \(String(cString: zmq_strerror(errno))) (errno \(errno))")
    }
}
