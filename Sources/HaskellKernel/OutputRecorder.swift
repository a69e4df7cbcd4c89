import InterpreterAPI
import JSONValue
import Synchronization

/// Collects a cell's outputs as nbformat output objects (an iopub message's content plus
/// `output_type`, less `transient`) and echoes them readably. Display updates replace the
/// cell's outputs with their display id, and clears empty the cell (with `wait`, at its next
/// output), as a notebook frontend does. Called from the runtime's reader threads.
final class OutputRecorder: Sendable {
    private struct Cell {
        var items: [JSON] = []
        /// Which outputs were shown with a display id.
        var displayIDs: [Int: String] = [:]
        var clearPending = false
    }

    private let cell = Mutex(Cell())
    private let count: Int
    private let echo: @Sendable (String) -> Void

    init(count: Int, echo: @escaping @Sendable (String) -> Void) {
        self.count = count
        self.echo = echo
    }

    var outputs: [JSON] { cell.withLock { $0.items } }

    func add(_ output: KernelOutput) {
        cell.withLock { cell in
            switch output {
            case .comm: return
            case .clearOutput(let wait):
                if wait { cell.clearPending = true } else { cell = Cell() }
                return
            case .updateDisplayData(let data, let metadata, let transient):
                let id = transient["display_id"]?.stringValue
                for (index, shownAs) in cell.displayIDs where shownAs == id {
                    cell.items[index] = .object(["output_type": "display_data", "data": .object(data), "metadata": .object(metadata)])
                }
                return
            default:
                break
            }
            if cell.clearPending { cell = Cell() }
            echo(Self.transcript(output, count: count))
            var content = output.content(executionCount: count)
            content["transient"] = nil
            if case .displayData(_, _, let transient) = output, let id = transient["display_id"]?.stringValue {
                cell.displayIDs[cell.items.count] = id
            }
            // Consecutive text on one stream is one output, as Jupyter shows it.
            if case .stream(let name, let text) = output, let last = cell.items.last,
               last["output_type"]?.stringValue == "stream", last["name"]?.stringValue == name,
               let previous = last["text"]?.stringValue {
                content["text"] = .string(previous + text)
                cell.items.removeLast()
            }
            content["output_type"] = .string(output.messageType)
            cell.items.append(.object(content))
        }
    }

    private static func transcript(_ output: KernelOutput, count: Int) -> String {
        switch output {
        case .stream(let name, let text):
            name == "stderr" ? "\u{1b}[33m\(text)\u{1b}[0m" : text
        case .executeResult(let data, _):
            "\u{1b}[1;31mOut[\(count)]:\u{1b}[0m \(data["text/plain"]?.stringValue ?? "")\n"
        case .displayData(let data, _, _):
            (data["text/plain"]?.stringValue ?? "") + " [" + data.keys.sorted().joined(separator: ", ") + "]\n"
        case .error(let ename, let evalue, let traceback):
            (traceback.isEmpty ? "\(ename): \(evalue)" : traceback.joined(separator: "\n")) + "\n"
        case .updateDisplayData, .clearOutput, .comm:
            ""
        }
    }
}
