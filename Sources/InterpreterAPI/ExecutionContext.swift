/// Where a running cell's output goes and where its input comes from.
/// Called from the interpreter's reader threads.
public struct ExecutionContext: Sendable {
    public let publish: @Sendable (KernelOutput) -> Void
    public let requestInput: @Sendable (_ prompt: String, _ password: Bool) -> InputResult
    /// Called when the cell is under way: its code has gone to the language runtime, or the
    /// runtime is being started for it. The kernel publishes `busy` and `execute_input` then,
    /// while the runtime works. It may be called more than once.
    public let underway: @Sendable () -> Void

    public init(publish: @escaping @Sendable (KernelOutput) -> Void,
                requestInput: @escaping @Sendable (_ prompt: String, _ password: Bool) -> InputResult,
                underway: @escaping @Sendable () -> Void = {}) {
        self.publish = publish
        self.requestInput = requestInput
        self.underway = underway
    }

    /// Drops output and takes no input: for the interpreter's own commands.
    public static let discard = ExecutionContext(publish: { _ in }, requestInput: { _, _ in .notAllowed })
}
