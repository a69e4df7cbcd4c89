import JSONValue

/// What the interpreter knows of the name at the cursor, as a MIME bundle.
public struct InspectionResult: Sendable {
    public var data: [String: JSON]
    public init(data: [String: JSON]) { self.data = data }
}
