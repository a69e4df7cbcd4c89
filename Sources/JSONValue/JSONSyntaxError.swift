/// Bytes that are not one valid JSON text, and where the parser gave up.
public struct JSONSyntaxError: Error, CustomStringConvertible, Sendable {
    /// Why the text was rejected, with the byte offset.
    public let detail: String

    public init(_ detail: String) { self.detail = detail }

    public var description: String { "badJSON: \(detail)" }
}
