import GHCiRuntime
import JSONValue

extension Diagnostic {
    /// The record in `execute_reply.diagnostics`, with explicit nulls:
    /// `{"code":null,"message":...,"module":"Cell[7]","severity":"error","span":{...},...}`.
    public var json: JSON {
        [
            "severity": .string(severity.rawValue),
            "module": .string(module),
            "span": [
                "start_line": .int(span.startLine), "start_column": .int(span.startColumn),
                "end_line": .int(span.endLine), "end_column": .int(span.endColumn),
            ],
            "code": code.map(JSON.string) ?? .null,
            "message": .string(message),
            "suggestion": suggestion.map(JSON.string) ?? .null,
            "summary": .string(summary),
        ]
    }
}
