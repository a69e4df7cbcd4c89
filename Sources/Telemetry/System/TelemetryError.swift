#if canImport(Glibc)
import Glibc
#endif

/// An error from the telemetry layer: what failed, and the errno behind it.
public struct TelemetryError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let open = Code("open")
        public static let write = Code("write")
        public static let sync = Code("fsync")
        public static let rename = Code("rename")
        public static let socket = Code("socket")
        public static let bind = Code("bind")
        public static let listen = Code("listen")
        public static let pipe = Code("pipe")
        /// The listening address is not a numeric IPv4 address.
        public static let address = Code("address")
        /// `start()` was called on a server that is already running or was stopped.
        public static let state = Code("server state")
    }

    public let code: Code
    public let errno: Int32
    public let detail: String

    public init(_ code: Code, errno: Int32, detail: String = "") {
        self.code = code
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        var text = "telemetry: \(code) failed"
        if !detail.isEmpty { text += " (\(detail))" }
        if errno != 0 { text += ": \(String(cString: strerror(errno)))" }
        return text
    }
}
