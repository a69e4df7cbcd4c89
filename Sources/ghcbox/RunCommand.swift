import ArgumentParser
import Foundation
import HaskellKernel
import JSONValue
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
        let settings = try session.settings()
        var logger = Logger(label: "ghcbox")
        logger.logLevel = .warning
        guard let data = FileManager.default.contents(atPath: notebook) else {
            throw ValidationError("cannot read \(notebook)")
        }
        let document: JSON
        do { document = try JSON.parse(Array(data)) } catch { throw ValidationError("\(notebook) is not a notebook: \(error)") }

        let interpreter = InterpreterFactory.make(settings, logger: logger)
        defer { interpreter.session.shutdown() }
        let runner = NotebookRunner(interpreter: interpreter, echo: { say($0, newline: false) })
        let (executed, summary): (JSON, NotebookRunner.Summary)
        do { (executed, summary) = try runner.run(document) } catch {
            throw ValidationError("\(notebook) is not a notebook: \(error)")
        }
        let destination = output ?? ((notebook as NSString).deletingPathExtension + ".out.ipynb")
        try Data(executed.serialized()).write(to: URL(fileURLWithPath: destination))
        say("Wrote \(destination): \(summary.codeCells) code cells, \(summary.unexpectedFailures) unexpected failure(s).")
        if summary.unexpectedFailures > 0 { throw ExitCode(1) }
    }
}

/// Writes straight to descriptor 1, so headings and streamed output stay in order.
func say(_ text: String, newline: Bool = true) {
    FileHandle.standardOutput.write(Data((newline ? text + "\n" : text).utf8))
}
