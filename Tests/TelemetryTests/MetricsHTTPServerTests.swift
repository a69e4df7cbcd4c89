import Foundation
import Testing
@testable import Telemetry

/// A raw HTTP client over a loopback socket: sends `request`, returns everything until EOF.
private func exchange(port: UInt16, _ request: String, pauseBeforeSending: Duration = .zero) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #expect(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    #expect(connected == 0)
    if pauseBeforeSending > .zero { Thread.sleep(forTimeInterval: Double(pauseBeforeSending.components.seconds) + Double(pauseBeforeSending.components.attoseconds) / 1e18) }
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if n <= 0 { break }
        response += chunk[..<n]
    }
    return String(decoding: response, as: UTF8.self)
}

@Suite(.serialized) struct MetricsHTTPServerTests {
    private func started(timeout: Duration = .seconds(2)) throws -> (MetricsHTTPServer, KernelMetrics, UInt16) {
        let registry = PrometheusRegistry(descriptions: KernelMetrics.descriptions)
        let metrics = KernelMetrics(factory: registry)
        let server = MetricsHTTPServer(port: 0, registry: registry, timeout: timeout)
        try server.start()
        let port = try #require(server.boundPort)
        #expect(port != 0)
        return (server, metrics, port)
    }

    @Test func servesMetricsOnLoopback() throws {
        let (server, metrics, port) = try started()
        defer { server.stop() }
        metrics.sessionRestarted()
        let response = try exchange(port: port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let (head, body) = split(response)
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(head.contains("Content-Type: text/plain; version=0.0.4"))
        #expect(head.contains("Content-Length: \(body.utf8.count)\r\n"))
        #expect(body.contains("ghcbox_session_restarts_total 1\n"))
    }

    @Test func otherPathsAre404AndGarbageIs400() throws {
        let (server, _, port) = try started()
        defer { server.stop() }
        #expect(try exchange(port: port, "GET / HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 404 "))
        #expect(try exchange(port: port, "GET /metricsx HTTP/1.0\r\n\r\n").hasPrefix("HTTP/1.1 404 "))
        #expect(try exchange(port: port, "POST /metrics HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 405 "))
        #expect(try exchange(port: port, "\u{1}\u{2}garbage\r\n\r\n").hasPrefix("HTTP/1.1 400 "))
        #expect(try exchange(port: port, "GET /metrics?x=1 HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 200 "))
    }

    @Test func oversizedRequestsAreRefused() throws {
        let (server, _, port) = try started()
        defer { server.stop() }
        let huge = "GET /metrics HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
        #expect(try exchange(port: port, huge).hasPrefix("HTTP/1.1 431 "))
    }

    @Test func aSilentClientDoesNotBlockTheNextScrape() throws {
        let (server, _, port) = try started(timeout: .milliseconds(300))
        defer { server.stop() }
        // The silent client gets a 408 once its time is up; a real scrape after it is still answered.
        #expect(try exchange(port: port, "GET /met", pauseBeforeSending: .milliseconds(600)).hasPrefix("HTTP/1.1 408 "))
        #expect(try exchange(port: port, "GET /metrics HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 200 "))
    }

    @Test func stopReleasesThePort() throws {
        let (server, _, port) = try started()
        server.stop()
        server.stop()
        let again = MetricsHTTPServer(port: port, registry: PrometheusRegistry())
        try again.start()
        #expect(again.boundPort == port)
        again.stop()
    }

    @Test func aNonNumericHostIsAnError() {
        let server = MetricsHTTPServer(port: 0, host: "localhost", registry: PrometheusRegistry())
        #expect(throws: TelemetryError.self) { try server.start() }
    }

    private func split(_ response: String) -> (String, String) {
        guard let range = response.range(of: "\r\n\r\n") else { return (response, "") }
        return (String(response[..<range.upperBound]), String(response[range.upperBound...]))
    }
}
