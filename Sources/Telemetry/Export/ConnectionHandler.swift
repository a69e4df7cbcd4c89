#if canImport(Glibc)
import Glibc
#endif

/// Reads one request from an accepted connection and writes one response, within a deadline.
struct ConnectionHandler: Sendable {
    let registry: PrometheusRegistry
    let timeoutMilliseconds: Int
    let maxRequestBytes: Int

    private enum Head {
        case complete([UInt8])
        case tooLarge
        case timedOut
        case closed
    }

    func handle(_ fd: Int32) {
        let deadline = Syscall.monotonicMilliseconds() + Int64(timeoutMilliseconds)
        var sendTimeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        switch readHead(fd, deadline: deadline) {
        case .closed:
            return
        case .timedOut:
            respond(fd, status: "408 Request Timeout", body: "request timed out\n")
        case .tooLarge:
            respond(fd, status: "431 Request Header Fields Too Large", body: "request too large\n")
        case .complete(let head):
            guard let request = HTTPRequestLine(head) else {
                respond(fd, status: "400 Bad Request", body: "bad request\n")
                return
            }
            guard request.method == "GET" || request.method == "HEAD" else {
                respond(fd, status: "405 Method Not Allowed", extraHeaders: "Allow: GET, HEAD\r\n", body: "method not allowed\n")
                return
            }
            guard request.path == "/metrics" else {
                respond(fd, status: "404 Not Found", body: "not found; metrics are at /metrics\n", includeBody: request.method == "GET")
                return
            }
            respond(
                fd, status: "200 OK", contentType: "text/plain; version=0.0.4; charset=utf-8",
                body: registry.render(), includeBody: request.method == "GET")
        }
    }

    private func readHead(_ fd: Int32, deadline: Int64) -> Head {
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        while true {
            let remaining = deadline - Syscall.monotonicMilliseconds()
            guard remaining > 0 else { return .timedOut }
            let events = Syscall.poll(fd, events: Int16(POLLIN), milliseconds: Int32(remaining))
            guard events != 0 else { return .timedOut }
            let n = chunk.withUnsafeMutableBytes { buffer in
                Syscall.retryingInterrupts { recv(fd, buffer.baseAddress!, buffer.count, 0) }
            }
            guard n > 0 else { return .closed }
            head.append(contentsOf: chunk[..<n])
            if HTTPRequestLine.headIsComplete(head) { return .complete(head) }
            if head.count >= maxRequestBytes { return .tooLarge }
        }
    }

    private func respond(
        _ fd: Int32, status: String, contentType: String = "text/plain; charset=utf-8",
        extraHeaders: String = "", body: String, includeBody: Bool = true
    ) {
        let payload = Array(body.utf8)
        var response = Array((
            "HTTP/1.1 \(status)\r\n" + "Content-Type: \(contentType)\r\n" + "Content-Length: \(payload.count)\r\n"
                + extraHeaders + "Connection: close\r\n\r\n"
        ).utf8)
        if includeBody { response += payload }
        // A client that went away or stopped reading is not our problem: the send just fails.
        _ = try? Syscall.sendAll(fd, response)
        _ = shutdown(fd, Int32(SHUT_WR))
        drain(fd)
    }

    /// Reads what the client still sends, briefly: closing with unread input would reset the
    /// connection and could destroy the response before the client reads it.
    private func drain(_ fd: Int32) {
        let deadline = Syscall.monotonicMilliseconds() + 100
        var chunk = [UInt8](repeating: 0, count: 4096)
        var total = 0
        while total < 65536 {
            let remaining = deadline - Syscall.monotonicMilliseconds()
            guard remaining > 0, Syscall.poll(fd, events: Int16(POLLIN), milliseconds: Int32(remaining)) != 0 else { return }
            let n = chunk.withUnsafeMutableBytes { buffer in
                Syscall.retryingInterrupts { recv(fd, buffer.baseAddress!, buffer.count, 0) }
            }
            guard n > 0 else { return }
            total += n
        }
    }
}
