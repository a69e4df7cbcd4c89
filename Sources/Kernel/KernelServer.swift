import Foundation
import JupyterWire
import Logging
import Synchronization
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The kernel on real ZeroMQ sockets. One I/O thread owns shell, control,
/// stdin and iopub: it polls them plus a wake pipe, decodes and verifies what
/// arrives, and sends what other threads queued in the outbox. Senders encode
/// and sign their own messages, so the I/O thread's turn is short. Heartbeat has
/// its own thread, so it answers while a cell runs.
///
/// Before a message is authenticated it costs little: libzmq drops a peer that
/// announces a frame over the size limit, the signature is checked where libzmq
/// left the frames, each turn reads a bounded batch per channel (control first),
/// and rejections are logged at most once a second per reason, with a count.
public final class KernelServer: Sendable {
    /// Messages read from one channel per turn, so a flood on shell cannot hold up control.
    static let batch = 32
    /// Subscriptions are all a PUB socket reads, and they are short.
    static let maxSubscriptionBytes = 1024

    private let connection: ConnectionInfo
    private let codec: WireCodec
    private let maxMessageBytes: Int
    private let logger: Logger
    private let context: ZMQContext
    private let sockets: [Channel: ZMQSocket]
    private let heartbeat: Heartbeat
    private let wake: (readEnd: FileDescriptor, writeEnd: FileDescriptor)
    private let outbox = Mutex(Outbox())

    /// What other threads hand the I/O thread: encoded messages, and whether to stop.
    private struct Outbox {
        var messages: [(Channel, [[UInt8]])] = []
        var stopping = false
    }

    /// `maxMessageBytes` bounds each message read on shell, control and stdin.
    public init(connection: ConnectionInfo, logger: Logger, maxMessageBytes: Int = WireReader.defaultMaxMessageBytes) throws {
        self.connection = connection
        self.codec = WireCodec(key: connection.key)
        self.maxMessageBytes = maxMessageBytes
        self.logger = logger
        if connection.key.isEmpty {
            logger.warning("the connection file's key is empty: messages are not signed and unsigned messages are accepted, so anyone who can reach the kernel's ports can run code")
        }
        context = try ZMQContext()
        var sockets: [Channel: ZMQSocket] = [:]
        let plan: [(Channel, ZMQSocketType, Int)] = [
            (.shell, .router, connection.shellPort), (.control, .router, connection.controlPort),
            (.stdin, .router, connection.stdinPort), (.iopub, .pub, connection.iopubPort),
        ]
        for (channel, type, port) in plan {
            let socket = try context.makeSocket(type)
            try socket.setLinger(1000)
            try socket.setMaximumFrameSize(type == .pub ? Self.maxSubscriptionBytes : maxMessageBytes)
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
        let wasEmpty = outbox.withLock { outbox -> Bool in
            defer { outbox.messages += encoded }
            return outbox.messages.isEmpty
        }
        guard wasEmpty else { return }
        wakeIOThread()
    }

    /// Asks the I/O loop to finish: it flushes the outbox and returns.
    public func stop() {
        outbox.withLock { $0.stopping = true }
        wakeIOThread()
    }

    /// One byte on the wake pipe; a full pipe has wake-ups pending already.
    private func wakeIOThread() {
        _ = try? wake.writeEnd.writeAll([1])
    }

    /// Serves until `stop`. `signalFD` (optional) is a pipe that signal handlers write the signal number to:
    /// SIGINT interrupts the running cell, SIGTERM stops the kernel.
    public func run(core: KernelCore, signalFD: FileDescriptor? = nil) {
        let polled: [Channel] = [.shell, .control, .stdin]
        var items = polled.map { ZMQPoller.Item.socket(sockets[$0]!) } + [.fd(wake.readEnd.rawValue)]
        if let signalFD { items.append(.fd(signalFD.rawValue)) }
        var intake = Intake(reader: WireReader(codec: codec, maxMessageBytes: maxMessageBytes), logger: logger)
        while true {
            guard let ready = try? ZMQPoller.poll(items, timeout: intake.pollTimeout()) else { continue }
            // Control first: an interrupt must not wait behind a burst of shell traffic.
            for index in [1, 0, 2] where ready[index] {
                intake.take(from: sockets[polled[index]]!, channel: polled[index], into: core)
            }
            intake.logOwedCounts()
            if ready[3] { drainPipe(wake.readEnd) }
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
            let (pending, done) = outbox.withLock { outbox -> ([(Channel, [[UInt8]])], Bool) in
                defer { outbox.messages.removeAll() }
                return (outbox.messages, outbox.stopping)
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

    /// Everything waiting on a non-blocking pipe (its read fails with EAGAIN once it is empty).
    @discardableResult
    private func drainPipe(_ fd: FileDescriptor) -> [UInt8] {
        var got: [UInt8] = []
        while let chunk = try? fd.readAvailable(upTo: 256), !chunk.isEmpty { got += chunk }
        return got
    }
}

/// The I/O thread's receiving side: the reader (with its signature history) and the
/// throttle on rejection log lines.
private struct Intake {
    var reader: WireReader
    let logger: Logger
    var rejections = LogThrottle<Rejection>()

    /// Why a message was refused, as the log names it.
    enum Rejection: String, Sendable {
        case badSignature = "bad signature", replayed, tooLarge = "too large", malformed

        init(_ code: WireError.Code) {
            switch code {
            case .badSignature: self = .badSignature
            case .replayed: self = .replayed
            case .tooLarge: self = .tooLarge
            default: self = .malformed
            }
        }
    }

    /// Reads up to a batch of messages from `socket`; the rest wait for the next turn.
    mutating func take(from socket: ZMQSocket, channel: Channel, into core: KernelCore) {
        for _ in 0..<KernelServer.batch {
            guard let received = try? socket.receiveMessage(nonBlocking: true) else { return }
            do {
                core.receive(try reader.read(received), on: channel)
            } catch {
                let rejection = Rejection(error.code)
                if case .log(let omitted) = rejections.record(rejection, at: .now) {
                    logger.warning("rejected message", metadata: [
                        "reason": "\(rejection.rawValue)", "channel": "\(channel)", "error": "\(error)", "omitted": "\(omitted)",
                    ])
                }
                // A signed message whose content is broken still gets an answer if it expects one.
                if rejection == .malformed, let (identities, header) = reader.codec.decodeHeaderLeniently(received) {
                    let stub = Message(identities: identities, header: header, parentHeader: [:], metadata: [:], content: [:], buffers: [])
                    core.rejectMalformed(stub, on: channel, reason: "\(error)")
                }
            }
        }
    }

    /// Logs how many rejections got no line of their own, once their reason's interval is over.
    mutating func logOwedCounts() {
        for (rejection, omitted) in rejections.due(at: .now) {
            logger.warning("rejected messages not logged one by one", metadata: ["reason": "\(rejection.rawValue)", "omitted": "\(omitted)"])
        }
    }

    /// Waits no longer than until an owed count falls due; forever (nil) when none is owed.
    func pollTimeout() -> Duration? {
        rejections.nextDue.map { ContinuousClock.now.duration(to: $0) }
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

/// A close-on-exec, non-blocking pipe (the wake-up and signal pipes), made so in one call:
/// a child spawned by another thread meanwhile inherits neither end.
public func makeNonBlockingPipe() throws -> (readEnd: FileDescriptor, writeEnd: FileDescriptor) {
    do {
        return try FileDescriptor.pipe(options: [.closeOnExec, .nonBlocking])
    } catch {
        throw WireError(.zmq, "pipe: \(error)")
    }
}
