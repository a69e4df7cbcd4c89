/// Whether code can run as typed, in the terms of `is_complete_request`.
public enum CompletenessResult: Sendable, Equatable {
    case complete
    /// More input is expected; `indent` is what the next line should start with.
    case incomplete(indent: String)
    /// No text added at the end can make the code valid.
    case invalid
    case unknown
}
