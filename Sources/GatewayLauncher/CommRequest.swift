import JSONValue
#if canImport(Glibc)
import Glibc
#endif

/// One request EG sends on the comm port: a JSON object, alone on its connection, with a signal
/// number to deliver (`{"signum": 0}` is EG's liveness poll) and/or `{"shutdown": 1}`.
public struct CommRequest: Sendable, Equatable {
    public var signal: Int32?
    public var shutdown: Bool

    public init(signal: Int32? = nil, shutdown: Bool = false) {
        self.signal = signal
        self.shutdown = shutdown
    }

    /// Reads a request as EG's launchers do: `signum` is a number (or its text), and
    /// `shutdown` counts when it is truthy in Python's sense.
    public static func parse(_ bytes: [UInt8]) throws(LauncherError) -> CommRequest {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch {
            throw LauncherError(.badInput, "comm request is not JSON (\(error.detail))")
        }
        guard json.objectValue != nil else { throw LauncherError(.badInput, "comm request is not a JSON object") }
        var request = CommRequest()
        if let signum = json["signum"], !signum.isNull {
            guard let number = signum.intValue ?? signum.stringValue.flatMap({ Int($0.trimmingWhitespace) }),
                  let signal = Int32(exactly: number), (0...64).contains(signal) else {
                throw LauncherError(.badInput, "comm request's signum \(signum) is not a signal number")
            }
            request.signal = signal
        }
        if let shutdown = json["shutdown"] { request.shutdown = isTruthy(shutdown) }
        return request
    }

    /// What the kernel does about a request. EG's own launcher passes `signum` to the kernel
    /// process with `kill`; here the kernel is this process, so the signals a kernel answers
    /// are mapped to what answering them means.
    public enum Effect: Sendable, Equatable {
        /// `signum` 0: the accepted connection was the answer.
        case none
        /// SIGINT: interrupt the running cell, as `interrupt_request` does.
        case interrupt
        /// SIGHUP, SIGKILL, SIGTERM or `shutdown`: stop serving and end the session.
        case shutDown
        /// Any other signal, which a Haskell kernel has no use for.
        case ignored(Int32)
    }

    public var effect: Effect {
        if shutdown { return .shutDown }
        switch signal {
        case nil, 0: return .none
        case SIGINT: return .interrupt
        case SIGHUP, SIGKILL, SIGTERM: return .shutDown
        case let other?: return .ignored(other)
        }
    }

    private static func isTruthy(_ value: JSON) -> Bool {
        switch value {
        case .null: false
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .array(let items): !items.isEmpty
        case .object(let members): !members.isEmpty
        }
    }
}
