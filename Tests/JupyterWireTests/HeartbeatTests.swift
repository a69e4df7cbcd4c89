import Testing
@testable import JupyterWire

@Suite struct HeartbeatTests {
    @Test func echoesPingsUntilStopped() throws {
        let context = try ZMQContext()
        let heartbeat = try Heartbeat(context: context, endpoint: "tcp://127.0.0.1:*", pollIntervalMs: 20)
        #expect(heartbeat.endpoint.hasPrefix("tcp://127.0.0.1:"))

        let client = try context.makeSocket(.req)
        defer { client.close() }
        try client.setLinger(0)
        try client.connect(heartbeat.endpoint)
        for ping in ["ping", "again"] {
            try client.send([Array(ping.utf8)])
            #expect(try receiveWithin(client) == [Array(ping.utf8)])
        }

        heartbeat.stop()
        heartbeat.stop()  // idempotent
        try client.send([Array("late".utf8)])
        #expect(try receiveWithin(client, ms: 100) == nil)
    }

    @Test func bindFailureIsReportedAtOnce() throws {
        let context = try ZMQContext()
        #expect(throws: WireError.self) {
            _ = try Heartbeat(context: context, endpoint: "tcp://not-an-address:0")
        }
    }
}
