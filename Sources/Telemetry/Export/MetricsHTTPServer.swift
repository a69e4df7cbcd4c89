#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A tiny HTTP/1.1 server answering `GET /metrics` with the registry's exposition.
///
/// It runs on its own thread over plain sockets and serves one connection at a time, which is
/// plenty for a scraper every few seconds. A client gets `timeout` in all to send its request
/// head (at most `maxRequestBytes`) and to take the answer, so a slow or silent client delays
/// the next scrape by at most that long. Other paths get 404, other methods 405, garbage 400.
public final class MetricsHTTPServer: Sendable {
    public let host: String
    public let port: UInt16
    public let registry: PrometheusRegistry
    public let timeout: Duration
    public let maxRequestBytes: Int

    private enum State {
        case idle
        case running(listenFD: Int32, wakeFD: Int32, port: UInt16, finished: DispatchSemaphore)
        case stopped
    }

    private let state = Mutex<State>(.idle)

    /// - Parameter port: 0 picks a free port; read it back from `boundPort`.
    public init(
        port: UInt16, host: String = "127.0.0.1", registry: PrometheusRegistry,
        timeout: Duration = .seconds(2), maxRequestBytes: Int = 8192
    ) {
        self.port = port
        self.host = host
        self.registry = registry
        self.timeout = timeout
        self.maxRequestBytes = maxRequestBytes
    }

    deinit { stop() }

    /// The port the server listens on, once started.
    public var boundPort: UInt16? {
        state.withLock {
            if case .running(_, _, let port, _) = $0 { return port }
            return nil
        }
    }

    /// Binds, listens and starts serving on a new thread; errors (a port in use) are thrown here.
    public func start() throws(TelemetryError) {
        try state.withLock { (state: inout State) throws(TelemetryError) in
            guard case .idle = state else { throw TelemetryError(.state, errno: 0, detail: "already started") }
            let listenFD = try Self.listen(host: host, port: port)
            // A socket pair rather than a pipe: it can be made close-on-exec atomically.
            var pipeFDs: [Int32] = [-1, -1]
            let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            guard socketpair(AF_UNIX, kind, 0, &pipeFDs) == 0 else {
                let failure = TelemetryError(.pipe, errno: errno)
                Syscall.close(listenFD)
                throw failure
            }
            let bound = Self.localPort(listenFD)
            let finished = DispatchSemaphore(value: 0)
            let connection = ConnectionHandler(
                registry: registry, timeoutMilliseconds: Self.milliseconds(timeout), maxRequestBytes: maxRequestBytes)
            let (wakeRead, wakeWrite) = (pipeFDs[0], pipeFDs[1])
            let thread = Thread {
                Self.serve(listenFD: listenFD, wakeFD: wakeRead, connection: connection)
                Syscall.close(listenFD)
                Syscall.close(wakeRead)
                finished.signal()
            }
            thread.name = "ghcbox-metrics-http"
            thread.start()
            state = .running(listenFD: listenFD, wakeFD: wakeWrite, port: bound, finished: finished)
        }
    }

    /// Stops accepting, finishes the connection in progress, and waits for the thread to end.
    public func stop() {
        let running = state.withLock { (state: inout State) -> (Int32, DispatchSemaphore)? in
            guard case .running(_, let wakeFD, _, let finished) = state else { return nil }
            state = .stopped
            return (wakeFD, finished)
        }
        guard let (wakeFD, finished) = running else { return }
        _ = try? Syscall.writeAll(wakeFD, [1])
        finished.wait()
        Syscall.close(wakeFD)
    }

    // MARK: Socket setup

    private static func listen(host: String, port: UInt16) throws(TelemetryError) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw TelemetryError(.address, errno: 0, detail: "\(host) is not a numeric IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TelemetryError(.socket, errno: errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let failure = TelemetryError(.bind, errno: errno, detail: "\(host):\(port)")
            Syscall.close(fd)
            throw failure
        }
        guard Glibc.listen(fd, 16) == 0 else {
            let failure = TelemetryError(.listen, errno: errno)
            Syscall.close(fd)
            throw failure
        }
        return fd
    }

    private static func localPort(_ fd: Int32) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    // MARK: Serving

    private static func serve(listenFD: Int32, wakeFD: Int32, connection: ConnectionHandler) {
        while true {
            var entries = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            let ready = Syscall.retryingInterrupts { poll(&entries, 2, -1) }
            if ready < 0 || entries[1].revents != 0 { return }
            guard entries[0].revents & Int16(POLLIN) != 0 else { continue }
            // Glibc's module does not export accept4; children spawned by the kernel close
            // inherited descriptors anyway (close_range), so the short window is harmless.
            let client = Syscall.retryingInterrupts { accept(listenFD, nil, nil) }
            guard client >= 0 else {
                // Out of descriptors or a connection reset before accept: back off briefly and go on.
                if errno != ECONNABORTED && errno != EAGAIN { usleep(10_000) }
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            connection.handle(client)
            Syscall.close(client)
        }
    }
}
