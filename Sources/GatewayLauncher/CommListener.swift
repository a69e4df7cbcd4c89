import Foundation
import Logging

/// Serves EG's comm port on a thread of its own: each connection carries one JSON request,
/// read until EG closes its side, then the connection is closed. A connection that is
/// accepted is EG's liveness answer; nothing is written back.
public final class CommListener: Sendable {
    /// A request larger than this is not EG's.
    public static let maxRequestBytes = 64 * 1024
    /// A peer that connects and stays silent is dropped after this long, as EG's launchers do.
    public static let readTimeout = Duration.seconds(5)

    private let socket: TCPSocket

    /// `socket` listens already, so EG can connect as soon as it has the report.
    public init(socket: TCPSocket) {
        self.socket = socket
    }

    /// Starts the thread; `handle` runs on it, once per request.
    public func start(logger: Logger, handle: @escaping @Sendable (CommRequest) -> Void) {
        let thread = Thread { [self] in
            while let connection = nextConnection(logger: logger) {
                serve(connection, logger: logger, handle: handle)
            }
        }
        thread.name = "eg-comm"
        thread.start()
    }

    /// Stops accepting; EG's next poll finds nothing listening.
    public func stop() {
        socket.shutDown()
    }

    /// The next connection, or nil once `stop` has shut the socket down (accept then fails with EINVAL).
    private func nextConnection(logger: Logger) -> TCPSocket? {
        while true {
            do { return try socket.accept() } catch {
                if error.errno == .invalidArgument { return nil }
                // ECONNABORTED or a full descriptor table: the next connection may fare better.
                logger.warning("comm port: accept failed", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    private func serve(_ connection: TCPSocket, logger: Logger, handle: @Sendable (CommRequest) -> Void) {
        do {
            try connection.setReadTimeout(Self.readTimeout)
            let bytes = try connection.readToEnd(limit: Self.maxRequestBytes)
            // An empty connection is a bare liveness probe.
            guard !bytes.isEmpty else { return }
            let request = try CommRequest.parse(bytes)
            if request.signal != 0 || request.shutdown {
                logger.info("comm port request", metadata: ["signum": "\(request.signal.map(String.init) ?? "none")", "shutdown": "\(request.shutdown)"])
            }
            handle(request)
        } catch {
            logger.warning("comm port: request refused", metadata: ["error": "\(error)"])
        }
    }
}
