import Foundation
import HaskellKernel
import JSONValue
import Logging

/// One notebook's run for `ghcbox run`: read, parameters injected, executed in a session of
/// its own, and judged cell by cell.
struct NotebookJob: Sendable {
    let settings: SessionSettings
    let parameters: [(name: String, value: String)]
    let options: CompareOptions
    let deadline: ContinuousClock.Instant?

    struct Result {
        var path: String
        /// The notebook as read, and as executed (with any injected parameters cell).
        var original: JSON = .object([:])
        var executed: JSON = .object([:])
        var summary = NotebookRunner.Summary()
        var verdicts: [CellVerdict] = []
        var seconds = 0.0
        /// Why the notebook could not be run at all.
        var problem: String?

        var failed: Bool { problem != nil || verdicts.contains(where: \.failed) }

        var junit: JUnitReport.Notebook {
            JUnitReport.Notebook(path: path, verdicts: verdicts, seconds: seconds, problem: problem)
        }
    }

    func run(_ path: String, echo: @escaping @Sendable (String) -> Void) -> Result {
        var result = Result(path: path)
        let started = ContinuousClock.now
        do {
            result.original = try JSON.parse(try FileAccess.read(path))
            let document = try NotebookParameters.inject(parameters, into: result.original)
            var logger = Logger(label: "ghcbox")
            logger.logLevel = .warning
            let interpreter = InterpreterFactory.make(settings, logger: logger)
            defer { interpreter.session.shutdown() }
            let runner = NotebookRunner(interpreter: interpreter, deadline: deadline, echo: echo)
            (result.executed, result.summary) = try runner.run(document)
            result.verdicts = NotebookCheck.verdicts(document: document, runs: result.summary.runs, options: options)
        } catch let failure as CommandFailure {
            result.problem = failure.lines.joined(separator: "; ")
        } catch let error as JSONSyntaxError {
            result.problem = "\(path) is not a notebook: \(error.detail)"
        } catch {
            result.problem = "\(path) is not a notebook: \(error)"
        }
        result.seconds = (ContinuousClock.now - started) / .seconds(1)
        return result
    }
}
