import Foundation

/// A TCP client on plain sockets for the HTTP tests, so the client shares nothing with the
/// server's NIO. Every read gives up after 10 seconds, so a server that never answers fails the
/// test instead of hanging it.
final class LoopbackClient {
    enum Ending: Equatable {
        /// The server closed the connection (or reset it, having closed with input unread).
        case closed
        /// Nothing arrived within the read timeout.
        case timedOut
    }

    private let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED
            close(fd)
            throw POSIXError(code)
        }
    }

    deinit { close(fd) }

    /// Sends all of `text`; false once the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Whether the server has sent something or closed within `timeout`.
    func isReadable(within timeout: Duration) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(timeout / .milliseconds(1))) > 0
    }

    /// Everything the server sends until it closes the connection, and how the reading ended.
    func readToEnd() -> (text: String, ending: Ending) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 {
                received += chunk[..<n]
                continue
            }
            let timedOut = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
            return (String(decoding: received, as: UTF8.self), timedOut ? .timedOut : .closed)
        }
    }

    /// One whole exchange: sends `request`, returns the response.
    static func exchange(port: UInt16, _ request: String) throws -> String {
        let client = try LoopbackClient(port: port)
        client.send(request)
        return client.readToEnd().text
    }
}
