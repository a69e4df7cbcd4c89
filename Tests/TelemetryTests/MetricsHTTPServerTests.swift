import Foundation
import Prometheus
import Testing
@testable import Telemetry

@Suite(.serialized) struct MetricsHTTPServerTests {
    private func started(
        timeout: Duration = .seconds(2), maxConnections: Int = 16
    ) throws -> (MetricsHTTPServer, KernelMetrics, UInt16) {
        let factory = DescribedPrometheusFactory(descriptions: KernelMetrics.descriptions)
        let server = MetricsHTTPServer(port: 0, registry: factory.registry, timeout: timeout, maxConnections: maxConnections)
        try server.start()
        let port = try #require(server.boundPort)
        #expect(port != 0)
        return (server, KernelMetrics(factory: factory), port)
    }

    private func split(_ response: String) -> (head: String, body: String) {
        guard let range = response.range(of: "\r\n\r\n") else { return (response, "") }
        return (String(response[..<range.upperBound]), String(response[range.upperBound...]))
    }

    @Test func servesMetricsOnLoopback() throws {
        let (server, metrics, port) = try started()
        defer { server.stop() }
        metrics.sessionRestarted()
        let (head, body) = split(try LoopbackClient.exchange(port: port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"))
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(head.lowercased().contains("content-type: text/plain; version=0.0.4; charset=utf-8\r\n"))
        #expect(head.lowercased().contains("content-length: \(body.utf8.count)\r\n"))
        #expect(head.lowercased().contains("connection: close\r\n"))
        #expect(body.contains("# HELP ghcbox_session_restarts_total GHCi sessions replaced by a fresh one.\n"))
        #expect(body.contains("\nghcbox_session_restarts_total 1\n"))
        #expect(body.contains("\nghcbox_cells_total{status=\"ok\"} 0\n"))
    }

    @Test func headGetsTheHeadWithoutTheBody() throws {
        let (server, _, port) = try started()
        defer { server.stop() }
        let (head, body) = split(try LoopbackClient.exchange(port: port, "HEAD /metrics HTTP/1.1\r\n\r\n"))
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(body.isEmpty)
    }

    @Test func otherPathsAre404OtherMethods405AndGarbage400() throws {
        let (server, _, port) = try started(timeout: .seconds(60))
        defer { server.stop() }
        let notFound = try LoopbackClient.exchange(port: port, "GET / HTTP/1.1\r\n\r\n")
        #expect(notFound.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(split(notFound).body == "not found; metrics are at /metrics\n")
        #expect(try LoopbackClient.exchange(port: port, "GET /metricsx HTTP/1.0\r\n\r\n").hasPrefix("HTTP/1.1 404 "))
        let notAllowed = try LoopbackClient.exchange(port: port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        #expect(notAllowed.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
        #expect(notAllowed.lowercased().contains("allow: get, head\r\n"))
        let garbage = try LoopbackClient(port: port)
        garbage.send("\u{1}\u{2}garbage\r\n\r\n")
        let (response, ending) = garbage.readToEnd()
        #expect(response.hasPrefix("HTTP/1.1 400 "))
        #expect(ending == .closed)
        #expect(try LoopbackClient.exchange(port: port, "GET /metrics?x=1 HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 200 "))
    }

    /// Request heads over the server's 8 KB: one long header, a long target, many short headers.
    enum OversizedHead: CaseIterable {
        case longHeader, longTarget, manyHeaders

        var request: String {
            switch self {
            case .longHeader: "GET /metrics HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
            case .longTarget: "GET /metrics?" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\n\r\n"
            case .manyHeaders: "GET /metrics HTTP/1.1\r\n" + String(repeating: "X-Filler: \(String(repeating: "a", count: 40))\r\n", count: 400) + "\r\n"
            }
        }
    }

    @Test(arguments: OversizedHead.allCases)
    func anOversizedRequestHeadIsRefused(_ head: OversizedHead) throws {
        // A deadline longer than the client's read timeout: the refusal itself must end the connection.
        let (server, _, port) = try started(timeout: .seconds(60))
        defer { server.stop() }
        let client = try LoopbackClient(port: port)
        client.send(head.request)
        let (response, ending) = client.readToEnd()
        #expect(response.hasPrefix("HTTP/1.1 400 "))
        #expect(ending == .closed)
    }

    @Test func aSilentClientIsCutOffWhileOthersAreServed() throws {
        let (server, _, port) = try started(timeout: .milliseconds(500))
        defer { server.stop() }
        let silent = try LoopbackClient(port: port)
        silent.send("GET /met")
        #expect(try LoopbackClient.exchange(port: port, "GET /metrics HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 200 "))
        let (response, ending) = silent.readToEnd()
        #expect(ending == .closed)
        #expect(!response.contains("200 OK"))
    }

    @Test func aTricklingClientIsCutOffAtTheDeadline() throws {
        let (server, _, port) = try started(timeout: .milliseconds(300))
        defer { server.stop() }
        let client = try LoopbackClient(port: port)
        client.send("GET /metrics HTTP/1.1\r\nX-Slow: ")
        // A byte every 50 ms never leaves the connection idle, yet the server ends it.
        let giveUp = ContinuousClock.now + .seconds(10)
        var cutOff = false
        while !cutOff, ContinuousClock.now < giveUp {
            cutOff = !client.send("a") || client.isReadable(within: .milliseconds(50))
        }
        #expect(cutOff)
        #expect(client.readToEnd().ending == .closed)
    }

    @Test func connectionsBeyondTheLimitAreClosedUntilOneEnds() throws {
        let (server, _, port) = try started(timeout: .seconds(60), maxConnections: 2)
        defer { server.stop() }
        var first: LoopbackClient? = try LoopbackClient(port: port)
        first?.send("GET /")
        let second = try LoopbackClient(port: port)
        second.send("GET /")
        let third = try LoopbackClient(port: port)
        third.send("GET /metrics HTTP/1.1\r\n\r\n")
        let refused = third.readToEnd()
        #expect(refused.text.isEmpty)
        #expect(refused.ending == .closed)
        first = nil
        // The server frees the slot once it sees the first client go; until then scrapes are refused.
        let giveUp = ContinuousClock.now + .seconds(10)
        var response = ""
        while !response.hasPrefix("HTTP/1.1 200 "), ContinuousClock.now < giveUp {
            response = try LoopbackClient.exchange(port: port, "GET /metrics HTTP/1.1\r\n\r\n")
        }
        #expect(response.hasPrefix("HTTP/1.1 200 "))
        #expect(second.isReadable(within: .zero) == false)
    }

    @Test func stopClosesConnectionsEndsTheThreadAndReleasesThePort() throws {
        let (server, _, port) = try started(timeout: .seconds(60))
        let idle = try LoopbackClient(port: port)
        idle.send("GET /")
        #expect(!eventLoopThreads().isEmpty)
        server.stop()
        server.stop()
        #expect(idle.readToEnd().ending == .closed)
        let giveUp = ContinuousClock.now + .seconds(10)
        while !eventLoopThreads().isEmpty, ContinuousClock.now < giveUp {
            _ = idle.isReadable(within: .milliseconds(10))
        }
        #expect(eventLoopThreads().isEmpty)
        let again = MetricsHTTPServer(port: port, registry: PrometheusCollectorRegistry())
        try again.start()
        #expect(again.boundPort == port)
        again.stop()
    }

    @Test func startingTwiceOrAfterStopIsAnError() throws {
        let (server, _, _) = try started()
        #expect(throws: TelemetryError.self) { try server.start() }
        server.stop()
        let error = #expect(throws: TelemetryError.self) { try server.start() }
        #expect(error?.code == .state)
    }

    @Test func aPortInUseIsABindError() throws {
        let (server, _, port) = try started()
        defer { server.stop() }
        let second = MetricsHTTPServer(port: port, registry: PrometheusCollectorRegistry())
        let error = #expect(throws: TelemetryError.self) { try second.start() }
        #expect(error?.code == .bind)
        #expect(error?.errno == .addressInUse)
    }

    @Test func aNonNumericHostIsAnError() {
        let server = MetricsHTTPServer(port: 0, host: "localhost", registry: PrometheusCollectorRegistry())
        let error = #expect(throws: TelemetryError.self) { try server.start() }
        #expect(error?.code == .address)
    }

    /// SwiftNIO's event-loop threads in this process (this suite is the only one that runs any).
    private func eventLoopThreads() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
            .filter { $0.hasPrefix("NIO-ELT") }
    }
}
