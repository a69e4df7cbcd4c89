import CGatewayLauncher
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// One TCP socket, owned: a listener on all IPv4 interfaces, or a connection. Every socket call
/// goes through `retryingInterrupts`; reads and writes go through swift-system.
public final class TCPSocket: Sendable {
    public let descriptor: FileDescriptor

    private init(_ descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    deinit { try? descriptor.close() }

    /// A socket bound to 0.0.0.0:`port` (0: a port the system picks), listening when `backlog` is set.
    public static func bound(port: Int, backlog: Int32? = nil) throws(LauncherError) -> TCPSocket {
        let socket = try open(family: AF_INET)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        try call("bind to port \(port)") {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(socket.descriptor.rawValue, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if let backlog {
            try call("listen on port \(port)") { Glibc.listen(socket.descriptor.rawValue, backlog) }
        }
        return socket
    }

    /// A connection to `host:port`, trying each address the name resolves to.
    public static func connected(to host: String, port: Int) throws(LauncherError) -> TCPSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            throw LauncherError(.network, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastFailure = LauncherError(.network, "\(host) has no address")
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            entry = current.pointee.ai_next
            do {
                let socket = try open(family: current.pointee.ai_family)
                try call("connect to \(host):\(port)") { Glibc.connect(socket.descriptor.rawValue, current.pointee.ai_addr, current.pointee.ai_addrlen) }
                return socket
            } catch {
                lastFailure = error
            }
        }
        throw lastFailure
    }

    /// The local port, which the system picked when the socket was bound to port 0.
    public func localPort() throws(LauncherError) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try Self.call("read the socket's port") {
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor.rawValue, $0, &length) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The next connection of a listening socket, waiting for it.
    public func accept() throws(LauncherError) -> TCPSocket {
        let fd = try Self.call("accept a connection") { cgateway_accept_cloexec(descriptor.rawValue) }
        return TCPSocket(FileDescriptor(rawValue: fd))
    }

    /// Gives up a read that waits longer than `timeout`, so a silent peer cannot hold the socket.
    public func setReadTimeout(_ timeout: Duration) throws(LauncherError) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        try Self.call("set a read timeout") {
            setsockopt(descriptor.rawValue, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Everything the peer sends until it closes its side; more than `limit` bytes is refused.
    public func readToEnd(limit: Int) throws(LauncherError) -> [UInt8] {
        var received: [UInt8] = []
        while true {
            let chunk: [UInt8]
            do {
                chunk = try [UInt8](unsafeUninitializedCapacity: 4096) { buffer, count in
                    count = try descriptor.read(into: UnsafeMutableRawBufferPointer(buffer))
                }
            } catch let failure as Errno {
                throw LauncherError(.network, "cannot read from the connection", errno: failure)
            } catch {
                throw LauncherError(.network, "cannot read from the connection: \(error)")
            }
            if chunk.isEmpty { return received }
            received += chunk
            guard received.count <= limit else { throw LauncherError(.network, "the peer sent more than \(limit) bytes") }
        }
    }

    /// Ends a listening socket's accepting; a thread waiting in `accept` wakes with EINVAL.
    public func shutDown() {
        _ = Glibc.shutdown(descriptor.rawValue, Int32(SHUT_RDWR))
    }

    /// Sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws(LauncherError) {
        do { _ = try descriptor.writeAll(bytes) } catch {
            throw LauncherError(.network, "cannot send", errno: error as? Errno)
        }
    }

    private static func open(family: Int32) throws(LauncherError) -> TCPSocket {
        let fd = try call("open a socket") { socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        return TCPSocket(FileDescriptor(rawValue: fd))
    }

    @discardableResult
    private static func call<T: FixedWidthInteger>(_ what: String, _ body: () -> T) throws(LauncherError) -> T {
        do { return try retryingInterrupts(body) } catch {
            throw LauncherError(.network, "cannot \(what)", errno: error)
        }
    }
}
