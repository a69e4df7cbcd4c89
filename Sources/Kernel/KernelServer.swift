import Foundation
import JupyterWire
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The kernel on real ZeroMQ sockets. One I/O thread owns shell, control,
/// stdin and iopub: it polls them plus a wake pipe, decodes and verifies what
/// arrives, and sends what other threads queued in the outbox. Senders encode
/// and sign their own messages, so the I/O thread's turn is short. Heartbeat has
/// its own thread, so it answers while a cell runs.
public final class KernelServer: @unchecked Sendable {
    private let connection: ConnectionInfo
    private let codec: WireCodec
    private let logger: Logger
    private let context: ZMQContext
    private let sockets: [Channel: ZMQSocket]
    private let heartbeat: Heartbeat
    private let wake: (read: Int32, write: Int32)
    private let outboxLock = NSLock()
    private var outbox: [(Channel, [[UInt8]])] = []
    private var stopping = false

    public init(connection: ConnectionInfo, logger: Logger) throws {
        self.connection = connection
        self.codec = WireCodec(key: connection.key)
        self.logger = logger
        context = try ZMQContext()
        var sockets: [Channel: ZMQSocket] = [:]
        let plan: [(Channel, ZMQSocketType, Int)] = [
            (.shell, .router, connection.shellPort), (.control, .router, connection.controlPort),
            (.stdin, .router, connection.stdinPort), (.iopub, .pub, connection.iopubPort),
        ]
        for (channel, type, port) in plan {
            let socket = try context.makeSocket(type)
            try socket.setLinger(1000)
            try socket.bind(connection.endpoint(port: port))
            sockets[channel] = socket
        }
        self.sockets = sockets
        heartbeat = try Heartbeat(context: context, endpoint: connection.endpoint(port: connection.hbPort))
        wake = try makeNonBlockingPipe()
    }

    /// Queues messages from any thread, in order, and wakes the I/O thread once for them.
    public func enqueue(_ batch: [Outgoing]) {
        let encoded = batch.map { ($0.channel, codec.encode($0.message)) }
        // A non-empty outbox has a wake-up on its way already: the I/O thread empties it after reading the pipe.
        let wasEmpty = outboxLock.withLock { () -> Bool in
            defer { outbox += encoded }
            return outbox.isEmpty
        }
        guard wasEmpty else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(wake.write, &byte, 1)
    }

    /// Asks the I/O loop to finish: it flushes the outbox and returns.
    public func stop() {
        outboxLock.withLock { stopping = true }
        var byte: UInt8 = 1
        _ = Glibc.write(wake.write, &byte, 1)
    }

    /// Serves until `stop`. `signalFD` (optional) is a pipe that signal handlers write the signal number to:
    /// SIGINT interrupts the running cell, SIGTERM stops the kernel.
    public func run(core: KernelCore, signalFD: Int32? = nil) {
        let polled: [Channel] = [.shell, .control, .stdin]
        var items = polled.map { ZMQPoller.Item.socket(sockets[$0]!) } + [.fd(wake.read)]
        if let signalFD { items.append(.fd(signalFD)) }
        while true {
            guard let ready = try? ZMQPoller.poll(items, timeoutMs: -1) else { continue }
            // Control first: an interrupt must not wait behind a burst of shell traffic.
            for index in [1, 0, 2] where ready[index] {
                drain(polled[index], into: core)
            }
            if ready[3] { drainPipe(wake.read) }
            if ready.count > 4 && ready[4] {
                for signal in drainPipe(signalFD!) {
                    if Int32(signal) == SIGINT {
                        logger.info("SIGINT: interrupting the running cell")
                        core.interrupt()
                    } else {
                        logger.info("signal \(signal): shutting down")
                        stop()
                    }
                }
            }
            let (pending, done) = outboxLock.withLock { () -> ([(Channel, [[UInt8]])], Bool) in
                defer { outbox.removeAll() }
                return (outbox, stopping)
            }
            for (channel, frames) in pending {
                do { try sockets[channel]!.send(frames) } catch {
                    logger.error("send failed", metadata: ["channel": "\(channel)", "error": "\(error)"])
                }
            }
            if done { break }
        }
        heartbeat.stop()
        for socket in sockets.values { socket.close() }
        context.terminate()
    }

    private func drain(_ channel: Channel, into core: KernelCore) {
        let socket = sockets[channel]!
        while let frames = try? socket.receive(nonBlocking: true) {
            do {
                core.receive(try codec.decode(frames), on: channel)
            } catch {
                logger.warning("rejected message", metadata: ["channel": "\(channel)", "error": "\(error)"])
                // A signed message whose content is broken still gets an answer if it expects one.
                if error.code != .badSignature, let (identities, header) = codec.decodeHeaderLeniently(frames) {
                    let stub = Message(identities: identities, header: header, parentHeader: [:], metadata: [:], content: [:], buffers: [])
                    core.rejectMalformed(stub, on: channel, reason: "\(error)")
                }
            }
        }
    }

    @discardableResult
    private func drainPipe(_ fd: Int32) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        var got: [UInt8] = []
        while true {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { return got }
            got += buffer[..<n]
        }
    }
}

extension KernelCore {
    /// Answers a signed request whose body could not be decoded.
    public func rejectMalformed(_ stub: Message, on channel: Channel, reason: String) {
        guard channel != .stdin, let replyType = Self.replyType(for: stub.header.msgType) else { return }
        busy(stub) {
            answer(stub, type: replyType, content: [
                "status": "error", "ename": "MalformedMessage", "evalue": .string(reason), "traceback": [],
            ], on: channel)
        }
    }
}

/// A close-on-exec, non-blocking pipe (the wake-up and signal pipes).
public func makeNonBlockingPipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw WireError(.zmq, "pipe: \(String(cString: strerror(errno)))") }
    for fd in fds {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }
    return (fds[0], fds[1])
}
