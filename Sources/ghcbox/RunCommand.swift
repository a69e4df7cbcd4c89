import ArgumentParser
import Foundation
import HaskellKernel
import JSONValue
import Logging

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Execute a notebook headless, print each cell's outputs and write the executed notebook.",
        discussion: "Exits 1 if a cell failed, unless the cell is tagged `raises-exception`. Tracebacks are coloured only on a terminal, and never with NO_COLOR set.")

    @Argument(help: "The notebook to run (.ipynb).")
    var notebook: String

    @Option(help: "Where to write the executed notebook (default: NAME.out.ipynb beside it).")
    var output: String?

    @OptionGroup(title: "GHC") var toolchain: ToolchainOptions
    @OptionGroup(title: "Sandbox") var sandbox: SandboxOptions
    @OptionGroup(title: "Budgets") var budget: BudgetOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var problems: [String] = []
        let budget = BudgetOptions.budget(flags: budget.flags, environment: environment, problems: &problems)
        sandbox.policy.check(problems: &problems)
        guard problems.isEmpty else { throw CommandFailure(lines: problems) }
        let settings = SessionSettings(toolchain: toolchain.toolchain, sandboxed: !sandbox.noSandbox,
                                       seccompPolicy: sandbox.policy.seccompPolicy, budget: budget)
        var logger = Logger(label: "ghcbox")
        logger.logLevel = .warning
        let document: JSON
        do { document = try JSON.parse(try FileAccess.read(notebook)) } catch let error as JSONSyntaxError {
            throw CommandFailure("\(notebook) is not a notebook: \(error.detail)")
        }

        let interpreter = InterpreterFactory.make(settings, logger: logger)
        defer { interpreter.session.shutdown() }
        let colour = ConsoleColour.enabled
        let runner = NotebookRunner(interpreter: interpreter, echo: { say(colour ? $0 : ConsoleColour.stripped($0), newline: false) })
        let (executed, summary): (JSON, NotebookRunner.Summary)
        do { (executed, summary) = try runner.run(document) } catch {
            throw CommandFailure("\(notebook) is not a notebook: \(error)")
        }
        let destination = output ?? ((notebook as NSString).deletingPathExtension + ".out.ipynb")
        try FileAccess.write(executed.serialized(), to: destination)
        say("Wrote \(destination): \(summary.codeCells) code cells, \(summary.unexpectedFailures) unexpected failure(s).")
        if summary.unexpectedFailures > 0 { throw ExitCode(1) }
    }
}
