import Foundation
import InterpreterAPI
import JSONValue

/// The line a comm message travels as to `GHCbox.Comm.deliver`: one JSON object with the
/// message's type, content and base64 buffers (JSON escapes every newline, so it is one line).
enum CommDelivery {
    static func line(for message: CommMessage) -> String {
        let json: JSON = [
            "msg_type": .string(message.type.rawValue),
            "content": .object(message.content),
            "buffers": .array(message.buffers.map { .string(Data($0).base64EncodedString()) }),
        ]
        return String(decoding: json.serialized(), as: UTF8.self)
    }
}
