/// An error from the runtime layer. Cell failures are not errors: they are data in an `ExecutionOutcome`.
public struct RuntimeError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }
        public static let boot = Code("boot")
        /// The runtime package could not be built or found.
        public static let runtimePackage = Code("runtime-package")
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
