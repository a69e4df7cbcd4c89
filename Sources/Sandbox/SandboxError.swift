#if canImport(Glibc)
import Glibc
#endif

/// An error from the sandbox layer: what failed, and the errno behind it.
public struct SandboxError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let pipe = Code("pipe")
        public static let spawn = Code("spawn")
        public static let read = Code("read")
        public static let write = Code("write")
        public static let wait = Code("wait")
        public static let signal = Code("signal")
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
        let reason = String(cString: strerror(errno))
        return detail.isEmpty ? "\(code) failed: \(reason)" : "\(code) failed (\(detail)): \(reason)"
    }
}
