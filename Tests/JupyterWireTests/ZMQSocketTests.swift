import Foundation
import Testing
@testable import JupyterWire

/// Waits (bounded) for one message, so a broken test fails instead of hanging.
func receiveWithin(_ socket: ZMQSocket, ms: Int = 2000) throws -> [[UInt8]]? {
    guard try ZMQPoller.poll([.socket(socket)], timeout: .milliseconds(ms))[0] else { return nil }
    return try socket.receive(nonBlocking: true)
}

@Suite struct ZMQSocketTests {
    @Test func routerAndDealerExchangeMultipartMessagesOverInproc() throws {
        let context = try ZMQContext()
        let router = try context.makeSocket(.router)
        let dealer = try context.makeSocket(.dealer)
        defer { dealer.close(); router.close() }
        let endpoint = "inproc://router-dealer-\(UUID().uuidString)"
        try router.bind(endpoint)
        try dealer.connect(endpoint)

        let request: [[UInt8]] = [Array("<IDS|MSG>".utf8), [], [0, 255], Array("payload".utf8)]
        try dealer.send(request)
        let received = try #require(try receiveWithin(router))
        // The ROUTER prepends the peer's routing identity.
        #expect(received.count == request.count + 1)
        #expect(Array(received.dropFirst()) == request)

        let identity = received[0]
        try router.send([identity, Array("reply".utf8), []])
        #expect(try receiveWithin(dealer) == [Array("reply".utf8), []])
    }

    @Test func wireMessagesTravelOverLoopbackTCP() throws {
        let context = try ZMQContext()
        let router = try context.makeSocket(.router)
        let dealer = try context.makeSocket(.dealer)
        defer { dealer.close(); router.close() }
        try router.setLinger(0)
        try dealer.setLinger(0)
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = try #require(router.boundEndpoint)
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        try dealer.connect(endpoint)

        let codec = WireCodec(key: Array("k".utf8))
        let header = HeaderFactory(session: "s", username: "u").make(msgType: "kernel_info_request")
        try dealer.send(codec.encode(Message(header: header, content: [:])))
        let frames = try #require(try receiveWithin(router))
        let message = try codec.decode(frames)
        #expect(message.header == header)
        #expect(message.identities.count == 1)
    }

    @Test func publisherReachesSubscriber() throws {
        let context = try ZMQContext()
        let pub = try context.makeSocket(.pub)
        let sub = try context.makeSocket(.sub)
        defer { sub.close(); pub.close() }
        let endpoint = "inproc://pub-sub-\(UUID().uuidString)"
        try pub.bind(endpoint)
        try sub.connect(endpoint)
        try sub.subscribe([])
        // A subscription takes effect asynchronously; publish until the subscriber hears one.
        var received: [[UInt8]]?
        for _ in 0..<100 where received == nil {
            try pub.send([Array("status".utf8)])
            received = try receiveWithin(sub, ms: 10)
        }
        #expect(received == [Array("status".utf8)])
    }

    @Test func nonBlockingReceiveWithNothingWaitingIsNil() throws {
        let context = try ZMQContext()
        let pair = try context.makeSocket(.pair)
        defer { pair.close() }
        try pair.bind("inproc://idle-\(UUID().uuidString)")
        #expect(try pair.receive(nonBlocking: true) == nil)
    }

    @Test func errorsCarryTheZMQReason() throws {
        let context = try ZMQContext()
        let socket = try context.makeSocket(.router)
        defer { socket.close() }
        do {
            try socket.bind("nonsense://nowhere")
            Issue.record("binding a bogus endpoint should fail")
        } catch {
            #expect(error.code == .zmq)
            #expect(error.detail.contains("nonsense://nowhere"))
        }
        socket.close()
        #expect(throws: WireError.self) { try socket.send([[1]]) }
        #expect(socket.boundEndpoint == nil)
    }
}

@Suite struct ZMQFrameLimitTests {
    @Test func aFrameOverTheLimitIsNeverDeliveredAndOthersStillAre() throws {
        let context = try ZMQContext()
        let router = try context.makeSocket(.router)
        defer { router.close() }
        try router.setLinger(0)
        try router.setMaximumFrameSize(1024)
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = try #require(router.boundEndpoint)

        let flooder = try context.makeSocket(.dealer)
        defer { flooder.close() }
        try flooder.setLinger(0)
        try flooder.connect(endpoint)
        try flooder.send([[UInt8](repeating: 1, count: 4096)])
        #expect(try receiveWithin(router, ms: 500) == nil)

        let peer = try context.makeSocket(.dealer)
        defer { peer.close() }
        try peer.setLinger(0)
        try peer.connect(endpoint)
        try peer.send([Array("small".utf8), [UInt8](repeating: 2, count: 1024)])
        let received = try #require(try receiveWithin(router))
        #expect(Array(received.dropFirst()) == [Array("small".utf8), [UInt8](repeating: 2, count: 1024)])
    }

    @Test func aReceivedMessageIsReadInPlaceAndCountsItsBytes() throws {
        let context = try ZMQContext()
        let pair = try context.makeSocket(.pair)
        let other = try context.makeSocket(.pair)
        defer { other.close(); pair.close() }
        let endpoint = "inproc://in-place-\(UUID().uuidString)"
        try pair.bind(endpoint)
        try other.connect(endpoint)
        let frames: [[UInt8]] = [[], Array("short".utf8), [UInt8](repeating: 7, count: 100_000)]
        try other.send(frames)
        #expect(try ZMQPoller.poll([.socket(pair)], timeout: .milliseconds(2000))[0])
        let received = try #require(try pair.receiveMessage(nonBlocking: true))
        #expect(received.count == 3)
        #expect(received.byteCount == 100_005)
        #expect(received.withFrames { $0.map(\.count) } == [0, 5, 100_000])
        #expect(received.frames == frames)
        #expect(received.frame(1) == Array("short".utf8))
        #expect(try pair.receiveMessage(nonBlocking: true) == nil)
    }

    @Test func aMessageOfManyFramesKeepsEveryFrameIntact() throws {
        // More frames than a message first makes room for: short frames live inside their
        // zmq_msg_t, so they must survive being moved when it grows.
        let context = try ZMQContext()
        let pair = try context.makeSocket(.pair)
        let other = try context.makeSocket(.pair)
        defer { other.close(); pair.close() }
        let endpoint = "inproc://many-\(UUID().uuidString)"
        try pair.bind(endpoint)
        try other.connect(endpoint)
        let frames: [[UInt8]] = (0..<40).map { index in (0..<(index * index * 7)).map { UInt8(truncatingIfNeeded: $0 ^ index) } }
        try other.send(frames)
        #expect(try ZMQPoller.poll([.socket(pair)], timeout: .milliseconds(2000))[0])
        let received = try #require(try pair.receiveMessage(nonBlocking: true))
        #expect(received.count == 40)
        #expect(received.byteCount == frames.reduce(0) { $0 + $1.count })
        #expect(received.frames == frames)
        #expect(ReceivedMessage(frames: frames).frames == frames)
        #expect(ReceivedMessage(frames: []).count == 0)
    }
}
