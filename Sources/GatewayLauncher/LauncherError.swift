import SystemPackage

/// Why the launcher cannot go on: a bad input, a port it cannot get, a failed cipher or a report it cannot deliver.
public struct LauncherError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A missing or malformed argument or variable.
        public static let badInput = Code("badInput")
        /// No free port in the range.
        public static let noPort = Code("noPort")
        /// libcrypto refused a key or a cipher step.
        public static let crypto = Code("crypto")
        /// The socket calls of the response or comm connection failed.
        public static let network = Code("network")
    }

    public let code: Code
    public let detail: String
    /// The system's reason, when a call failed.
    public let errno: Errno?

    public init(_ code: Code, _ detail: String, errno: Errno? = nil) {
        self.code = code
        self.detail = detail
        self.errno = errno
    }

    public var description: String {
        errno.map { "\(detail): \($0)" } ?? detail
    }
}
