/// An error from the Jupyter wire layer: what went wrong, and a human-readable detail.
public struct WireError: Error, CustomStringConvertible, Sendable {
    /// An extensible set of failure kinds; compare with `==` against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Bytes that are not valid JSON.
        public static let badJSON = Code("badJSON")
        /// A multipart message without the `<IDS|MSG>` delimiter frame.
        public static let missingDelimiter = Code("missingDelimiter")
        /// Fewer than the five frames that must follow the delimiter.
        public static let tooFewFrames = Code("tooFewFrames")
        /// An HMAC signature that is missing or does not match.
        public static let badSignature = Code("badSignature")
        /// A signature already seen on an earlier message: a replay.
        public static let replayed = Code("replayed")
        /// A message larger than the kernel accepts.
        public static let tooLarge = Code("tooLarge")
        /// A header without `msg_id` or `msg_type`.
        public static let missingHeaderField = Code("missingHeaderField")
        /// A connection file that cannot be read or understood.
        public static let connectionFile = Code("connectionFile")
        /// A libzmq call failed; the detail carries `zmq_strerror`.
        public static let zmq = Code("zmq")
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The detail alone: it is written for people, and the code is for callers to match on.
    public var description: String { detail }
}
