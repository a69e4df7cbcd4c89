/// Whether a cell can run as typed, in the terms of Jupyter's `is_complete_request`.
public enum Completeness: Equatable, Sendable {
    case complete
    /// More input is expected; `indent` is what the next line should start with.
    case incomplete(indent: String)
    /// No text added at the end can make the code valid (an unmatched `)` or `-}`).
    case invalid
}
