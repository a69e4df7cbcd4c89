import InterpreterAPI
import JSONValue

/// Runs a notebook's code cells in order through an interpreter, as a kernel would for a
/// client, and puts each cell's outputs and count into the document. `echo` gets a readable
/// transcript as it happens.
public struct NotebookRunner {
    public struct Summary: Sendable, Equatable {
        public var codeCells = 0
        /// Cells that failed without the `raises-exception` tag.
        public var unexpectedFailures = 0

        public init(codeCells: Int = 0, unexpectedFailures: Int = 0) {
            self.codeCells = codeCells
            self.unexpectedFailures = unexpectedFailures
        }
    }

    let interpreter: any Interpreter
    let echo: @Sendable (String) -> Void

    public init(interpreter: any Interpreter, echo: @escaping @Sendable (String) -> Void) {
        self.interpreter = interpreter
        self.echo = echo
    }

    /// The executed notebook, or a reason it is not one.
    public func run(_ document: JSON) throws(NotebookError) -> (JSON, Summary) {
        guard case .object(var root) = document, var cells = root["cells"]?.arrayValue else {
            throw NotebookError("it has no cells")
        }
        var summary = Summary()
        for index in cells.indices {
            guard var cell = cells[index].objectValue, cell["cell_type"]?.stringValue == "code" else { continue }
            summary.codeCells += 1
            let count = summary.codeCells
            let source = NotebookCell.source(cell)
            echo("\u{1b}[1;32mIn [\(count)]:\u{1b}[0m \(source.replacingOccurrences(of: "\n", with: "\n        "))\n")
            let recorder = OutputRecorder(count: count, echo: echo)
            let request = ExecuteRequest(code: source, executionCount: count)
            let context = ExecutionContext(publish: { recorder.add($0) }, requestInput: { _, _ in .notAllowed })
            let outcome = interpreter.execute(request, context: context)
            interpreter.finishCell()
            if let shown = outcome.errorOutput { recorder.add(shown) }
            if outcome.status != .ok && !NotebookCell.tags(cell).contains("raises-exception") {
                summary.unexpectedFailures += 1
            }
            cell["outputs"] = .array(recorder.outputs)
            cell["execution_count"] = .int(count)
            cells[index] = .object(cell)
            echo("\n")
        }
        root["cells"] = .array(cells)
        return (.object(root), summary)
    }
}

public struct NotebookError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Reading cells the way nbformat writes them.
enum NotebookCell {
    static func source(_ cell: [String: JSON]) -> String {
        if let text = cell["source"]?.stringValue { return text }
        return (cell["source"]?.arrayValue ?? []).compactMap(\.stringValue).joined()
    }

    static func tags(_ cell: [String: JSON]) -> [String] {
        (cell["metadata"]?["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}
