import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import Synchronization
import SystemPackage

/// An HTTP/1.1 endpoint answering `GET /metrics` with the registry's exposition, on SwiftNIO.
///
/// One event-loop thread serves every connection, so a slow client never holds up another. Each
/// connection gets one answer and is closed, and has `timeout` in all to send its request head
/// (at most `maxRequestBytes`; a larger or malformed head gets NIO's 400) and to take the answer.
/// At most `maxConnections` are open at once; more are closed as they arrive.
public final class MetricsHTTPServer: Sendable {
    public let host: String
    public let port: UInt16
    public let registry: PrometheusCollectorRegistry
    public let timeout: Duration
    public let maxRequestBytes: Int
    public let maxConnections: Int

    private enum State {
        case idle
        case running(group: MultiThreadedEventLoopGroup, port: UInt16)
        case stopped
    }

    private let state = Mutex<State>(.idle)

    /// - Parameter port: 0 picks a free port; read it back from `boundPort`.
    public init(
        port: UInt16, host: String = "127.0.0.1", registry: PrometheusCollectorRegistry,
        timeout: Duration = .seconds(2), maxRequestBytes: Int = 8192, maxConnections: Int = 16
    ) {
        self.port = port
        self.host = host
        self.registry = registry
        self.timeout = timeout
        self.maxRequestBytes = maxRequestBytes
        self.maxConnections = maxConnections
    }

    deinit { stop() }

    /// The port the server listens on, once started.
    public var boundPort: UInt16? {
        state.withLock {
            if case .running(_, let port) = $0 { return port }
            return nil
        }
    }

    /// Binds and starts serving on the event loop's thread; errors (a port in use) are thrown here.
    public func start() throws(TelemetryError) {
        try state.withLock { (state: inout State) throws(TelemetryError) in
            guard case .idle = state else { throw TelemetryError(.state, detail: "already started") }
            let address: SocketAddress
            do {
                address = try SocketAddress(ipAddress: host, port: Int(port))
            } catch {
                throw TelemetryError(.address, detail: "\(host) is not a numeric IP address")
            }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            do {
                let channel = try bootstrap(group).bind(to: address).wait()
                state = .running(group: group, port: UInt16(channel.localAddress?.port ?? 0))
            } catch {
                try? group.syncShutdownGracefully()
                let errno = (error as? IOError).map { Errno(rawValue: $0.errnoCode) }
                throw TelemetryError(.bind, errno: errno, detail: errno == nil ? "\(host):\(port): \(error)" : "\(host):\(port)")
            }
        }
    }

    /// Closes the listener and every connection, and waits for the event loop's thread to end.
    public func stop() {
        let group = state.withLock { (state: inout State) -> MultiThreadedEventLoopGroup? in
            guard case .running(let group, _) = state else { return nil }
            state = .stopped
            return group
        }
        try? group?.syncShutdownGracefully()
    }

    private func bootstrap(_ group: MultiThreadedEventLoopGroup) -> ServerBootstrap {
        let registry = registry
        let deadline = TimeAmount(timeout)
        let limit = ConnectionLimit(maximum: maxConnections)
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxRequestBytes
        limits.maxHeaderListSize = maxRequestBytes
        let headLimits = limits
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try limit.admit(channel)
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ConnectionDeadline(timeout: deadline))
                    // No pipelining assistance: a connection carries one request.
                    try pipeline.configureHTTPServerPipeline(
                        withPipeliningAssistance: false, withErrorHandling: true, withOutboundHeaderValidation: true,
                        withEncoderConfiguration: .init(), withDecoderLimitConfiguration: headLimits)
                    try pipeline.addHandler(MetricsRequestHandler(registry: registry))
                }
            }
    }
}
