import Foundation

extension Diagnostic {
    /// The record as issue 5 specifies it, with sorted keys and explicit nulls:
    /// `{"code":null,"message":...,"module":"Cell[7]","severity":"error","span":{...},...}`.
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, ints and optionals cannot fail.
        guard let data = try? encoder.encode(WireRecord(self)) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The JSON shape; a separate type so the public struct need not be Codable
/// and so `nil` is written as `null` rather than left out.
private struct WireRecord: Encodable {
    let diagnostic: Diagnostic
    init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }

    enum Key: String, CodingKey {
        case severity, module, span, code, message, suggestion, summary
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(diagnostic.severity.rawValue, forKey: .severity)
        try c.encode(diagnostic.module, forKey: .module)
        try c.encode(diagnostic.span, forKey: .span)
        try c.encode(diagnostic.code, forKey: .code)
        try c.encode(diagnostic.message, forKey: .message)
        try c.encode(diagnostic.suggestion, forKey: .suggestion)
        try c.encode(diagnostic.summary, forKey: .summary)
    }
}
