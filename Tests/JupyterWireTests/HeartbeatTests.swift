import Testing
@testable import JupyterWire

@Suite struct HeartbeatTests {
    @Test func echoesPingsUntilStopped() throws {
        let context = try ZMQContext()
        let heartbeat = try Heartbeat(context: context, endpoint: "tcp://127.0.0.1:*", pollInterval: .milliseconds(20))
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

@Suite struct HeartbeatLimitTests {
    @Test func aPingOverTheLimitIsNotEchoedAndTheHeartbeatGoesOn() throws {
        let context = try ZMQContext()
        let heartbeat = try Heartbeat(context: context, endpoint: "tcp://127.0.0.1:*", maxPingBytes: 64, pollInterval: .milliseconds(20))
        defer { heartbeat.stop() }
        let big = try context.makeSocket(.dealer)
        defer { big.close() }
        try big.setLinger(0)
        try big.connect(heartbeat.endpoint)
        // A DEALER sends what a REQ would: an empty delimiter, then the ping.
        try big.send([[], [UInt8](repeating: 0x70, count: 65)])
        #expect(try receiveWithin(big, ms: 500) == nil)

        let client = try context.makeSocket(.req)
        defer { client.close() }
        try client.setLinger(0)
        try client.connect(heartbeat.endpoint)
        try client.send([Array("ping".utf8)])
        #expect(try receiveWithin(client) == [Array("ping".utf8)])
    }

    @Test func aPingOfSeveralFramesGetsItsFirstFrameBack() throws {
        let context = try ZMQContext()
        let heartbeat = try Heartbeat(context: context, endpoint: "tcp://127.0.0.1:*", maxPingBytes: 64, pollInterval: .milliseconds(20))
        defer { heartbeat.stop() }
        let client = try context.makeSocket(.req)
        defer { client.close() }
        try client.setLinger(0)
        try client.connect(heartbeat.endpoint)
        try client.send(Array(repeating: Array("ping".utf8), count: 50))
        #expect(try receiveWithin(client) == [Array("ping".utf8)])
    }
}
