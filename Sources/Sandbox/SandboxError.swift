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
        /// A step of the jail failed; `detail` is the step's name (see `csb_step_name`).
        public static let jailStep = Code("jail step")
        /// The seccomp policy file could not be read or has a bad line; `detail` says where.
        public static let policy = Code("seccomp policy")
        /// The sandbox specification is inconsistent (e.g. an empty path).
        public static let spec = Code("sandbox spec")
        /// Wiping a jail's scratch directories failed.
        public static let wipe = Code("scratch wipe")
        /// A resource budget value is bad; `detail` names its source and the accepted range.
        public static let budget = Code("resource budget")
        /// Creating, writing, reading or removing a session's cgroup failed; `detail` says which.
        public static let cgroup = Code("cgroup")
    }

    public let code: Code
    public let errno: Int32
    public let detail: String
    /// What the caller could find out about the cause (e.g. the missing path of a bind).
    public var hint: String = ""

    public init(_ code: Code, errno: Int32, detail: String = "", hint: String = "") {
        self.code = code
        self.errno = errno
        self.detail = detail
        self.hint = hint
    }

    public var description: String {
        switch code {
        case .jailStep:
            let base = "jail step '\(detail)' failed: \(reason)"
            return hint.isEmpty ? base : "\(base) (\(hint))"
        case .policy where errno == 0, .budget:
            return "\(code): \(detail)"
        default:
            return detail.isEmpty ? "\(code) failed: \(reason)" : "\(code) failed (\(detail)): \(reason)"
        }
    }

    private var reason: String { String(cString: strerror(errno)) }
}
