import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// A libzmq socket. Like libzmq's own sockets it must be used by one thread at a time;
/// handing it to another thread is fine (thread start or a lock gives the needed barrier).
// Unchecked: one thread uses a socket at a time (see above); `handle` is a raw pointer.
public final class ZMQSocket: @unchecked Sendable {
    public let type: ZMQSocketType
    // Held so the context outlives the socket: zmq_ctx_term waits for open sockets.
    private let context: ZMQContext
    private var handle: UnsafeMutableRawPointer?

    init(context: ZMQContext, type: ZMQSocketType) throws(WireError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQCall.error("zmq_socket", errno: zmq_errno())
        }
        self.context = context
        self.type = type
        self.handle = handle
    }

    deinit { close() }

    public func bind(_ endpoint: String) throws(WireError) {
        let socket = try open()
        try ZMQCall.run("bind \(endpoint)") { zmq_bind(socket, endpoint) }
    }

    public func connect(_ endpoint: String) throws(WireError) {
        let socket = try open()
        try ZMQCall.run("connect \(endpoint)") { zmq_connect(socket, endpoint) }
    }

    /// How long `close()` may keep unsent messages around; 0 drops them at once.
    public func setLinger(_ ms: Int32) throws(WireError) {
        try setOption(ZMQ_LINGER, ms, name: "ZMQ_LINGER")
    }

    /// The largest frame libzmq accepts from a peer (ZMQ_MAXMSGSIZE); a peer that announces a
    /// larger one is disconnected before its bytes are read. It bounds each frame, not a message.
    public func setMaximumFrameSize(_ bytes: Int) throws(WireError) {
        try setOption(ZMQ_MAXMSGSIZE, Int64(bytes), name: "ZMQ_MAXMSGSIZE")
    }

    /// For SUB sockets: receive messages whose first frame starts with `prefix` (empty: all).
    public func subscribe(_ prefix: [UInt8]) throws(WireError) {
        let socket = try open()
        let outcome = prefix.withUnsafeBytes { raw in
            ZMQCall.attempt { zmq_setsockopt(socket, ZMQ_SUBSCRIBE, raw.baseAddress, raw.count) }
        }
        try outcome.orThrow("setsockopt ZMQ_SUBSCRIBE")
    }

    /// Sends a multipart message atomically: SNDMORE on every frame but the last.
    public func send(_ frames: [[UInt8]]) throws(WireError) {
        let socket = try open()
        for (index, frame) in frames.enumerated() {
            let flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            let outcome = frame.withUnsafeBytes { raw in
                ZMQCall.attempt { zmq_send(socket, raw.baseAddress, raw.count, flags) }
            }
            try outcome.orThrow("zmq_send")
        }
    }

    /// Receives every frame of the next multipart message as copies. Blocks unless `nonBlocking`,
    /// in which case nil means nothing was waiting.
    public func receive(nonBlocking: Bool = false) throws(WireError) -> [[UInt8]]? {
        try receiveMessage(nonBlocking: nonBlocking)?.frames
    }

    /// Receives the next multipart message without copying it out of libzmq. Blocks unless
    /// `nonBlocking`, in which case nil means nothing was waiting.
    public func receiveMessage(nonBlocking: Bool = false) throws(WireError) -> ReceivedMessage? {
        let socket = try open()
        let message = ReceivedMessage()
        var flags = nonBlocking ? ZMQ_DONTWAIT : 0
        // libzmq delivers multipart messages whole, so after the first frame the rest are already here.
        while true {
            let part = message.nextPart()
            let outcome = ZMQCall.attempt { zmq_msg_recv(part, socket, flags) }
            if outcome.failed {
                if outcome.errno == EAGAIN && flags & ZMQ_DONTWAIT != 0 { return nil }
                throw ZMQCall.error("zmq_msg_recv", errno: outcome.errno)
            }
            message.received(part)
            if zmq_msg_more(part) == 0 { return message }
            flags = 0
        }
    }

    /// Closes the socket; idempotent. Later calls on it throw.
    public func close() {
        guard let socket = handle else { return }
        handle = nil
        _ = ZMQCall.attempt { zmq_close(socket) }
    }

    /// The endpoint actually bound (ZMQ_LAST_ENDPOINT), e.g. the port picked for "tcp://127.0.0.1:*".
    public var boundEndpoint: String? {
        guard let socket = handle else { return nil }
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        let outcome = ZMQCall.attempt { zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, &buffer, &size) }
        guard !outcome.failed else { return nil }
        let endpoint = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return endpoint.isEmpty ? nil : endpoint
    }

    /// The raw handle, for zmq_poll.
    func openHandle() throws(WireError) -> UnsafeMutableRawPointer { try open() }

    // MARK: Internals

    private func open() throws(WireError) -> UnsafeMutableRawPointer {
        guard let handle else { throw WireError(.zmq, "socket is closed") }
        return handle
    }

    /// Sets an integer option; `Value` must be the width libzmq documents for `option`.
    private func setOption<Value: FixedWidthInteger>(_ option: Int32, _ value: Value, name: String) throws(WireError) {
        let socket = try open()
        var value = value
        try ZMQCall.run("setsockopt \(name)") {
            zmq_setsockopt(socket, option, &value, MemoryLayout<Value>.size)
        }
    }
}
