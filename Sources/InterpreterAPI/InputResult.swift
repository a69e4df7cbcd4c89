/// The client's answer when a cell reads stdin.
public enum InputResult: Sendable, Equatable {
    case text(String)
    /// The client said it takes no input (`allow_stdin: false`).
    case notAllowed
    /// The cell was interrupted while waiting.
    case cancelled
}
