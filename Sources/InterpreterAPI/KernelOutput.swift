import JSONValue

/// What a running cell hands to the client.
public enum KernelOutput: Sendable, Equatable {
    case stream(name: String, text: String)
    case executeResult(data: [String: JSON])
    case displayData(data: [String: JSON])
    case error(ename: String, evalue: String, traceback: [String])

    /// The iopub message type, which is also the notebook's `output_type`.
    public var messageType: String {
        switch self {
        case .stream: "stream"
        case .executeResult: "execute_result"
        case .displayData: "display_data"
        case .error: "error"
        }
    }

    /// The iopub message's content; a notebook output is this plus `output_type`.
    public func content(executionCount: Int) -> [String: JSON] {
        switch self {
        case .stream(let name, let text):
            ["name": .string(name), "text": .string(text)]
        case .executeResult(let data):
            ["execution_count": .int(executionCount), "data": .object(data), "metadata": [:]]
        case .displayData(let data):
            ["data": .object(data), "metadata": [:]]
        case .error(let ename, let evalue, let traceback):
            ["ename": .string(ename), "evalue": .string(evalue), "traceback": .array(traceback.map { .string($0) })]
        }
    }
}
