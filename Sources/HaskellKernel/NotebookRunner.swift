import Dispatch
import InterpreterAPI
import JSONValue
import Synchronization

/// Runs a notebook's code cells in order through an interpreter, as a kernel would for a
/// client, and puts each cell's outputs and count into the document. `echo` gets a readable
/// transcript as it happens. Cells tagged `skip-execution` or `nbval-skip` keep their stored
/// outputs; with a `deadline`, the cell running when it passes is interrupted and later cells
/// are not run.
public struct NotebookRunner {
    /// How one code cell's run ended, with its new outputs.
    public struct CellRun: Sendable {
        public enum Status: Sendable, Equatable {
            case ok
            case failed(ename: String, evalue: String)
            case skipped
            case notRun
        }

        public var status: Status
        public var outputs: [JSON]
        public var seconds: Double
        /// The run's deadline passed while this cell ran (and interrupted it).
        public var deadlinePassed = false
    }

    public struct Summary: Sendable {
        public var codeCells = 0
        /// Cells that failed without a `raises-exception` tag, and cells not run for lack of time.
        public var unexpectedFailures = 0
        /// One per code cell, in order.
        public var runs: [CellRun] = []

        public init() {}
    }

    let interpreter: any Interpreter
    let echo: @Sendable (String) -> Void
    public var deadline: ContinuousClock.Instant?

    public init(interpreter: any Interpreter, deadline: ContinuousClock.Instant? = nil, echo: @escaping @Sendable (String) -> Void) {
        self.interpreter = interpreter
        self.deadline = deadline
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
            let tags = Set(NotebookCell.tags(cell))
            let cellRun: CellRun
            if !tags.isDisjoint(with: CellVerdict.skipTags) {
                cellRun = CellRun(status: .skipped, outputs: cell["outputs"]?.arrayValue ?? [], seconds: 0)
            } else if let deadline, ContinuousClock.now >= deadline {
                cellRun = CellRun(status: .notRun, outputs: [], seconds: 0)
                summary.unexpectedFailures += 1
            } else {
                cellRun = execute(NotebookCell.source(cell), count: count)
                if case .failed = cellRun.status, tags.isDisjoint(with: CellVerdict.raisesTags) {
                    summary.unexpectedFailures += 1
                }
                cell["outputs"] = .array(cellRun.outputs)
                cell["execution_count"] = .int(count)
            }
            summary.runs.append(cellRun)
            cells[index] = .object(cell)
        }
        root["cells"] = .array(cells)
        return (.object(root), summary)
    }

    private func execute(_ source: String, count: Int) -> CellRun {
        echo("\u{1b}[1;32mIn [\(count)]:\u{1b}[0m \(source.replacingOccurrences(of: "\n", with: "\n        "))\n")
        let recorder = OutputRecorder(count: count, echo: echo)
        let request = ExecuteRequest(code: source, executionCount: count)
        let context = ExecutionContext(publish: { recorder.add($0) }, requestInput: { _, _ in .notAllowed })
        let started = ContinuousClock.now
        let passed = Atomic(false)
        let stopper = deadline.map { deadline in
            let item = DispatchWorkItem { [interpreter] in
                passed.store(true, ordering: .sequentiallyConsistent)
                interpreter.interrupt()
            }
            let left = max(0, (deadline - started) / .milliseconds(1))
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(left)), execute: item)
            return item
        }
        let outcome = interpreter.execute(request, context: context)
        stopper?.cancel()
        interpreter.finishCell()
        if let shown = outcome.errorOutput { recorder.add(shown) }
        echo("\n")
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let status: CellRun.Status = outcome.status == .ok ? .ok : .failed(ename: outcome.ename, evalue: outcome.evalue)
        return CellRun(status: status, outputs: recorder.outputs, seconds: seconds,
                       deadlinePassed: passed.load(ordering: .sequentiallyConsistent))
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
