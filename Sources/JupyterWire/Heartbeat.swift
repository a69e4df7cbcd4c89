import Foundation
import Synchronization
import SystemLayer

/// Answers Jupyter heartbeat pings: a REP socket on its own thread that echoes each ping,
/// so the frontend sees the kernel alive even while other threads are busy running code.
/// Pings are short (jupyter_client sends the 4 bytes "ping"), so a frame larger than
/// `maxPingBytes` makes libzmq drop its sender unread, and a ping of several frames gets
/// only its first back: what the heartbeat sends is bounded by what it accepts.
public final class Heartbeat: Sendable {
    public static let defaultMaxPingBytes = 1024

    /// The endpoint actually bound (useful when binding port 0 or "*").
    public let endpoint: String
    private let stopSignal = StopSignal()
    private let finished = Latch()

    /// Binds `endpoint` now, so a bind failure is reported here, then starts echoing.
    /// `pollInterval` bounds how long `stop()` waits for the thread to notice.
    public init(context: ZMQContext, endpoint: String, maxPingBytes: Int = Heartbeat.defaultMaxPingBytes,
                pollInterval: Duration = .milliseconds(100)) throws(WireError) {
        let socket = try context.makeSocket(.rep)
        do {
            try socket.setLinger(0)
            try socket.setMaximumFrameSize(maxPingBytes)
            try socket.bind(endpoint)
        } catch {
            socket.close()
            throw error
        }
        self.endpoint = socket.boundEndpoint ?? endpoint
        let stopSignal = stopSignal
        let finished = finished
        let thread = Thread {
            Self.echo(on: socket, until: stopSignal, pollInterval: pollInterval)
            socket.close()
            finished.open()
        }
        thread.name = "jupyter-heartbeat"
        thread.start()
    }

    deinit { stop() }

    /// Stops echoing and waits until the socket is closed; idempotent.
    public func stop() {
        guard stopSignal.raise() else { return }
        finished.wait()
    }

    private static func echo(on socket: ZMQSocket, until stopSignal: StopSignal, pollInterval: Duration) {
        while !stopSignal.isRaised {
            do {
                let readable = try ZMQPoller.poll([.socket(socket)], timeout: pollInterval)
                guard readable[0], let ping = try socket.receiveMessage(nonBlocking: true) else { continue }
                // REP must answer before it can read the next ping, so every ping gets a reply.
                try socket.send([ping.frame(0)])
            } catch {
                // The context was terminated or the socket broke: nothing left to answer on.
                return
            }
        }
    }

    /// A flag set once from any thread and read by the heartbeat thread.
    private final class StopSignal: Sendable {
        private let raised = Atomic<Bool>(false)

        var isRaised: Bool { raised.load(ordering: .acquiring) }

        /// Sets the flag; true only for the call that set it.
        func raise() -> Bool {
            raised.exchange(true, ordering: .acquiringAndReleasing) == false
        }
    }
}
