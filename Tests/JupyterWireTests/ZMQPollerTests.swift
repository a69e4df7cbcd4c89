import Foundation
import Testing
@testable import JupyterWire

@Suite struct ZMQPollerTests {
    @Test func aPipeWakesThePoller() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let context = try ZMQContext()
        let socket = try context.makeSocket(.pair)
        defer { socket.close() }
        try socket.bind("inproc://poller-\(UUID().uuidString)")

        #expect(try ZMQPoller.poll([.socket(socket), .fd(fds[0])], timeout: .milliseconds(0)) == [false, false])
        var byte: UInt8 = 1
        #expect(write(fds[1], &byte, 1) == 1)
        #expect(try ZMQPoller.poll([.socket(socket), .fd(fds[0])], timeout: .milliseconds(1000)) == [false, true])
    }

    @Test func aReadySocketIsFlagged() throws {
        let context = try ZMQContext()
        let a = try context.makeSocket(.pair)
        let b = try context.makeSocket(.pair)
        defer { b.close(); a.close() }
        let endpoint = "inproc://poller-pair-\(UUID().uuidString)"
        try a.bind(endpoint)
        try b.connect(endpoint)
        try b.send([[42]])
        #expect(try ZMQPoller.poll([.socket(a), .socket(b)], timeout: .milliseconds(1000)) == [true, false])
    }

    @Test func pollingAClosedSocketThrows() throws {
        let context = try ZMQContext()
        let socket = try context.makeSocket(.pair)
        socket.close()
        #expect(throws: WireError.self) { try ZMQPoller.poll([.socket(socket)], timeout: .milliseconds(0)) }
    }
}
