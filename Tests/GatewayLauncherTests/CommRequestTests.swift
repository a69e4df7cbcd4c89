import Foundation
import Synchronization
import Testing
@testable import GatewayLauncher

@Suite struct CommRequestTests {
    private func parse(_ text: String) throws -> CommRequest { try CommRequest.parse(Array(text.utf8)) }

    @Test func readsEGsRequests() throws {
        #expect(try parse(#"{"signum": 0}"#) == CommRequest(signal: 0))
        #expect(try parse(#"{"signum": 2}"#).effect == .interrupt)
        #expect(try parse(#"{"signum": "2"}"#).effect == .interrupt)
        #expect(try parse(#"{"signum": 0}"#).effect == CommRequest.Effect.none)
        #expect(try parse(#"{"signum": 15}"#).effect == .shutDown)
        #expect(try parse(#"{"signum": 9}"#).effect == .shutDown)
        #expect(try parse(#"{"signum": 12}"#).effect == .ignored(12))
        #expect(try parse(#"{"shutdown": 1}"#) == CommRequest(shutdown: true))
        #expect(try parse(#"{"shutdown": 1}"#).effect == .shutDown)
        #expect(try parse(#"{"shutdown": 0}"#).effect == CommRequest.Effect.none)
        #expect(try parse(#"{"signum": 0, "shutdown": true}"#).effect == .shutDown)
        #expect(try parse(#"{}"#).effect == CommRequest.Effect.none)
    }

    @Test(arguments: [#"{"signum": 2"#, #"[2]"#, #"{"signum": "two"}"#, #"{"signum": -1}"#, #"{"signum": 2.5}"#, ""])
    func refusesWhatIsNotARequest(_ text: String) {
        #expect(throws: LauncherError.self) { try parse(text) }
    }
}

@Suite struct CommListenerTests {
    /// Sends `bytes` on a connection of its own and closes it, as EG does.
    private func send(_ bytes: String, to port: Int) throws {
        try TCPSocket.connected(to: "127.0.0.1", port: port).send(Array(bytes.utf8))
    }

    private func waitFor(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func handsOnOneRequestPerConnectionInOrder() async throws {
        var picker = PortPicker(range: .any)
        let socket = try picker.bind(backlog: 8)
        let port = try socket.localPort()
        let listener = CommListener(socket: socket)
        let received = Mutex<[CommRequest]>([])
        listener.start(logger: .init(label: "test")) { request in received.withLock { $0.append(request) } }
        try send(#"{"signum": 0}"#, to: port)
        try send("not json", to: port)
        try send("", to: port)
        try send(#"{"signum": 2}"#, to: port)
        try send(#"{"shutdown": 1}"#, to: port)
        try await waitFor { received.withLock { $0.count } == 3 }
        #expect(received.withLock { $0 } == [CommRequest(signal: 0), CommRequest(signal: 2), CommRequest(shutdown: true)])
        listener.stop()
        // Stopped: nothing accepts any more, which EG's liveness poll reads as a kernel gone.
        try await waitFor { (try? send(#"{"signum": 0}"#, to: port)) == nil }
        #expect(throws: LauncherError.self) { try send(#"{"signum": 0}"#, to: port) }
    }
}
