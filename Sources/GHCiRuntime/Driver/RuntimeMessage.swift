import Foundation
import InterpreterAPI
import JSONValue

/// Reads a message frame's JSON (`GhcboxRuntime.sendMessage`) into the output it stands for.
/// A cell can write such frames itself, so everything is checked: only the message types
/// below pass, each with the fields the Jupyter protocol requires of it.
enum RuntimeMessage {
    static func output(from bytes: [UInt8]) -> Result<KernelOutput, Refusal> {
        guard let message = try? JSON.parse(bytes), let type = message["msg_type"]?.stringValue else {
            return .failure(Refusal("a message that is not a JSON object with a msg_type"))
        }
        guard let content = message["content"]?.objectValue else { return .failure(Refusal("\(type) without content")) }
        let metadata = message["metadata"]?.objectValue ?? [:]
        switch type {
        case "display_data", "update_display_data", "execute_result":
            guard let data = content["data"]?.objectValue, !data.isEmpty else { return .failure(Refusal("\(type) without data")) }
            let meta = content["metadata"]?.objectValue ?? [:]
            let transient = content["transient"]?.objectValue ?? [:]
            if type == "execute_result" { return .success(.executeResult(data: data, metadata: meta)) }
            if type == "display_data" { return .success(.displayData(data: data, metadata: meta, transient: transient)) }
            guard transient["display_id"]?.stringValue != nil else { return .failure(Refusal("update_display_data without a display_id")) }
            return .success(.updateDisplayData(data: data, metadata: meta, transient: transient))
        case "clear_output":
            return .success(.clearOutput(wait: content["wait"]?.boolValue ?? false))
        default:
            guard let kind = CommMessage.Kind(rawValue: type) else { return .failure(Refusal("a message of type \(type)")) }
            guard content["comm_id"]?.stringValue != nil, kind != .open || content["target_name"]?.stringValue != nil else {
                return .failure(Refusal("\(type) without a comm_id or target_name"))
            }
            var buffers: [[UInt8]] = []
            for encoded in message["buffers"]?.arrayValue ?? [] {
                guard let text = encoded.stringValue, let data = Data(base64Encoded: text) else {
                    return .failure(Refusal("\(type) with a buffer that is not base64"))
                }
                buffers.append(Array(data))
            }
            return .success(.comm(CommMessage(type: kind, content: content, metadata: metadata, buffers: buffers)))
        }
    }

    /// Why a frame was not passed on, for the note the cell's stderr gets.
    struct Refusal: Error, Equatable {
        let what: String
        init(_ what: String) { self.what = what }
        var note: String { "[ghcbox] dropped \(what) from the runtime\n" }
    }
}
