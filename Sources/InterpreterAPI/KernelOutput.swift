import JSONValue

/// What a running cell hands to the client.
public enum KernelOutput: Sendable, Equatable {
    case stream(name: String, text: String)
    case executeResult(data: [String: JSON], metadata: [String: JSON] = [:])
    /// `transient` may hold a `display_id`, which later updates name.
    case displayData(data: [String: JSON], metadata: [String: JSON] = [:], transient: [String: JSON] = [:])
    case updateDisplayData(data: [String: JSON], metadata: [String: JSON], transient: [String: JSON])
    case clearOutput(wait: Bool)
    case error(ename: String, evalue: String, traceback: [String])
    /// `comm_open`, `comm_msg` or `comm_close` from the language side, with its binary buffers.
    case comm(CommMessage)

    /// The iopub message type, which is also the notebook's `output_type` for outputs a notebook keeps.
    public var messageType: String {
        switch self {
        case .stream: "stream"
        case .executeResult: "execute_result"
        case .displayData: "display_data"
        case .updateDisplayData: "update_display_data"
        case .clearOutput: "clear_output"
        case .error: "error"
        case .comm(let message): message.type.rawValue
        }
    }

    /// The iopub message's content; a notebook output is this plus `output_type`, less `transient`.
    public func content(executionCount: Int) -> [String: JSON] {
        switch self {
        case .stream(let name, let text):
            ["name": .string(name), "text": .string(text)]
        case .executeResult(let data, let metadata):
            ["execution_count": .int(executionCount), "data": .object(data), "metadata": .object(metadata)]
        case .displayData(let data, let metadata, let transient), .updateDisplayData(let data, let metadata, let transient):
            ["data": .object(data), "metadata": .object(metadata), "transient": .object(transient)]
        case .clearOutput(let wait):
            ["wait": .bool(wait)]
        case .error(let ename, let evalue, let traceback):
            ["ename": .string(ename), "evalue": .string(evalue), "traceback": .array(traceback.map { .string($0) })]
        case .comm(let message):
            message.content
        }
    }

    /// Whether a notebook keeps this output in the cell (display updates, clears and comm
    /// traffic change or bypass the cell's outputs instead).
    public var isCellOutput: Bool {
        switch self {
        case .stream, .executeResult, .displayData, .error: true
        case .updateDisplayData, .clearOutput, .comm: false
        }
    }
}
