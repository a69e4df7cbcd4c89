import SystemPackage

/// An error from the telemetry layer: what failed, on what, and the errno behind it if any.
public struct TelemetryError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let open = Code("open")
        public static let write = Code("write")
        public static let sync = Code("fsync")
        public static let rename = Code("rename")
        public static let bind = Code("bind")
        /// The listening address is not a numeric IP address.
        public static let address = Code("address")
        /// `start()` was called on a server that is already running or was stopped.
        public static let state = Code("server state")
    }

    public let code: Code
    public let errno: Errno?
    public let detail: String

    public init(_ code: Code, errno: Errno? = nil, detail: String = "") {
        self.code = code
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        var text = "telemetry: \(code) failed"
        if !detail.isEmpty { text += " (\(detail))" }
        if let errno { text += ": \(errno)" }
        return text
    }

    /// Runs swift-system calls, reporting a failure as `code` on `detail` with its `Errno`;
    /// a `TelemetryError` thrown inside passes through.
    static func wrapping<T>(_ code: Code, detail: String, _ call: () throws -> T) throws(TelemetryError) -> T {
        do {
            return try call()
        } catch let error as TelemetryError {
            throw error
        } catch let errno as Errno {
            throw TelemetryError(code, errno: errno, detail: detail)
        } catch {
            throw TelemetryError(code, detail: "\(detail): \(error)")
        }
    }
}
