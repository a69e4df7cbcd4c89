import JSONValue
import ArgumentParser
import Foundation
import JupyterWire
import Kernel
import Logging

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Execute a notebook headless, print each cell's outputs and write the executed notebook.",
        discussion: "Exits 1 if a cell failed, unless the cell is tagged `raises-exception`.")

    @Argument(help: "The notebook to run (.ipynb).")
    var notebook: String

    @Option(help: "Where to write the executed notebook (default: NAME.out.ipynb beside it).")
    var output: String?

    @OptionGroup var session: SessionOptions

    func run() throws {
        let budget = try session.loadBudget()
        var logger = Logger(label: "ghcbox")
        logger.logLevel = .warning
        guard let data = FileManager.default.contents(atPath: notebook) else {
            throw ValidationError("cannot read \(notebook)")
        }
        var document: JSON
        do { document = try JSON.parse(Array(data)) } catch { throw ValidationError("\(notebook) is not a notebook: \(error)") }
        guard var cells = document["cells"]?.arrayValue else { throw ValidationError("\(notebook) has no cells") }

        let interpreter = session.makeInterpreter(budget: budget, logger: logger)
        defer { interpreter.session.shutdown() }
        var count = 0
        var failures = 0
        for index in cells.indices {
            guard var cell = cells[index].objectValue, cell["cell_type"]?.stringValue == "code" else { continue }
            let source = NotebookCell.source(cell)
            count += 1
            say("\u{1b}[1;32mIn [\(count)]:\u{1b}[0m \(source.replacingOccurrences(of: "\n", with: "\n        "))")
            let recorder = OutputRecorder(count: count)
            let request = ExecuteRequest(code: source, silent: false, storeHistory: true, allowStdin: false,
                                         stopOnError: true, executionCount: count)
            let context = ExecutionContext(publish: { recorder.add($0) }, requestInput: { _, _ in .notAllowed })
            let outcome = interpreter.execute(request, context: context)
            interpreter.finishCell()
            if outcome.status == .error {
                recorder.add(.error(ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback))
            }
            let expected = NotebookCell.tags(cell).contains("raises-exception")
            if outcome.status != .ok && !expected { failures += 1 }
            cell["outputs"] = .array(recorder.outputs)
            cell["execution_count"] = .int(count)
            cells[index] = .object(cell)
            say("")
        }
        if case .object(var root) = document {
            root["cells"] = .array(cells)
            document = .object(root)
        }
        let destination = output ?? ((notebook as NSString).deletingPathExtension + ".out.ipynb")
        try Data(document.serialized()).write(to: URL(fileURLWithPath: destination))
        say("Wrote \(destination): \(count) code cells, \(failures) unexpected failure(s).")
        if failures > 0 { throw ExitCode(1) }
    }
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

/// Collects a cell's outputs as nbformat output objects and echoes them readably.
final class OutputRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [JSON] = []
    let count: Int

    init(count: Int) { self.count = count }

    var outputs: [JSON] { lock.withLock { items } }

    func add(_ output: KernelOutput) {
        lock.withLock {
            switch output {
            case .stream(let name, let text):
                FileHandle.standardOutput.write(Data((name == "stderr" ? "\u{1b}[33m\(text)\u{1b}[0m" : text).utf8))
                // Consecutive text on one stream is one output, as Jupyter shows it.
                if let last = items.last, last["output_type"]?.stringValue == "stream", last["name"]?.stringValue == name,
                   let previous = last["text"]?.stringValue {
                    items[items.count - 1] = ["output_type": "stream", "name": .string(name), "text": .string(previous + text)]
                } else {
                    items.append(["output_type": "stream", "name": .string(name), "text": .string(text)])
                }
            case .executeResult(let data):
                say("\u{1b}[1;31mOut[\(count)]:\u{1b}[0m \(data["text/plain"]?.stringValue ?? "")")
                items.append(["output_type": "execute_result", "execution_count": .int(count), "data": .object(data), "metadata": [:]])
            case .displayData(let data):
                items.append(["output_type": "display_data", "data": .object(data), "metadata": [:]])
            case .error(let ename, let evalue, let traceback):
                say(traceback.isEmpty ? "\(ename): \(evalue)" : traceback.joined(separator: "\n"))
                items.append(["output_type": "error", "ename": .string(ename), "evalue": .string(evalue),
                              "traceback": .array(traceback.map { .string($0) })])
            }
        }
    }
}

/// Writes straight to descriptor 1, so headings and streamed output stay in order.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
