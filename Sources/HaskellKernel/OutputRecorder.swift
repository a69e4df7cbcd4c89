import InterpreterAPI
import JSONValue
import Synchronization

/// Collects a cell's outputs as nbformat output objects (an iopub message's content plus
/// `output_type`) and echoes them readably. Called from the runtime's reader threads.
final class OutputRecorder: Sendable {
    private let items = Mutex<[JSON]>([])
    private let count: Int
    private let echo: @Sendable (String) -> Void

    init(count: Int, echo: @escaping @Sendable (String) -> Void) {
        self.count = count
        self.echo = echo
    }

    var outputs: [JSON] { items.withLock { $0 } }

    func add(_ output: KernelOutput) {
        items.withLock { items in
            echo(Self.transcript(output, count: count))
            var content = output.content(executionCount: count)
            // Consecutive text on one stream is one output, as Jupyter shows it.
            if case .stream(let name, let text) = output, let last = items.last,
               last["output_type"]?.stringValue == "stream", last["name"]?.stringValue == name,
               let previous = last["text"]?.stringValue {
                content["text"] = .string(previous + text)
                items.removeLast()
            }
            content["output_type"] = .string(output.messageType)
            items.append(.object(content))
        }
    }

    private static func transcript(_ output: KernelOutput, count: Int) -> String {
        switch output {
        case .stream(let name, let text):
            name == "stderr" ? "\u{1b}[33m\(text)\u{1b}[0m" : text
        case .executeResult(let data):
            "\u{1b}[1;31mOut[\(count)]:\u{1b}[0m \(data["text/plain"]?.stringValue ?? "")\n"
        case .displayData:
            ""
        case .error(let ename, let evalue, let traceback):
            (traceback.isEmpty ? "\(ename): \(evalue)" : traceback.joined(separator: "\n")) + "\n"
        }
    }
}
