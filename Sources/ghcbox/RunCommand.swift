import ArgumentParser
import Foundation
import HaskellKernel
import JSONValue
import Logging
import Synchronization

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Execute notebooks headless; with --check, compare their outputs with the stored ones.",
        discussion: """
            Without --check: prints each cell's outputs, writes the executed notebook, and exits 1 if a cell failed \
            unless it is tagged `raises-exception`. With --check: one line per notebook and a diff per failing cell; \
            exits 1 if any notebook failed. Cell tags: raises-exception / nbval-raises-exception (must fail), \
            skip-execution / nbval-skip (not run), nbval-ignore-output (outputs not compared), parameters (-p values \
            are bound after it). Colours only on a terminal, and never with NO_COLOR set.
            """)

    @Argument(help: "The notebooks to run (.ipynb).")
    var notebooks: [String]

    @Option(help: "Where to write the executed notebook (one notebook, without --check; default: NAME.out.ipynb beside it).")
    var output: String?

    @Flag(help: "Compare each code cell's new outputs with the stored ones (streams, text/plain, errors).")
    var check = false

    @Flag(help: "Replace each notebook's stored outputs with the new ones, in place.")
    var update = false

    @Option(help: ArgumentHelp("Write a JUnit XML report of the check to FILE.", valueName: "file"))
    var junit: String?

    @Option(name: .customLong("junit-cases"), help: "One JUnit test case per code cell or per notebook.")
    var junitCases: JUnitCases = .cell

    @Option(name: .customLong("sanitize-with"), help: ArgumentHelp("Rewrite volatile text with FILE's regex:/replace: pairs (nbval's format; repeatable).", valueName: "file"))
    var sanitizeWith: [String] = []

    @Flag(name: .customLong("no-default-sanitizers"), help: "Do not replace hex addresses and GHCi's :set +s statistics before comparing.")
    var noDefaultSanitizers = false

    @Flag(name: .customLong("ignore-evalue"), help: "Compare errors by name only, not by message.")
    var ignoreEvalue = false

    @Flag(name: .customLong("compare-mime"), help: "Also compare MIME types other than text/plain (images, HTML, ...).")
    var compareMime = false

    @Option(name: .customLong("cell-timeout"), help: ArgumentHelp("A cell running longer fails (the wall-clock budget).", valueName: "seconds"))
    var cellTimeout: Int?

    @Option(help: ArgumentHelp("The whole run's time limit: the cell running then is stopped, later ones do not run.", valueName: "seconds"))
    var timeout: Int?

    @Option(help: "Check up to N notebooks at once, each in its own session.")
    var jobs: Int = 1

    @Option(name: .customShort("p"), help: ArgumentHelp("Bind NAME to VALUE after the cell tagged `parameters` (repeatable; `-p NAME VALUE` also works).", valueName: "name=value"))
    var parameters: [String] = []

    @OptionGroup(title: "GHC") var toolchain: ToolchainOptions
    @OptionGroup(title: "Sandbox") var sandbox: SandboxOptions
    @OptionGroup(title: "Budgets") var budget: BudgetOptions

    enum JUnitCases: String, ExpressibleByArgument, CaseIterable { case cell, notebook }

    func validate() throws {
        if output != nil && (notebooks.count != 1 || check || update) {
            throw ValidationError("--output takes one notebook, and not with --check or --update")
        }
        if check && update { throw ValidationError("choose one of --check and --update") }
        if junit != nil && !check { throw ValidationError("--junit needs --check") }
        if jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
        if let cellTimeout, cellTimeout < 1 { throw ValidationError("--cell-timeout must be 1 or more seconds") }
        if let timeout, timeout < 1 { throw ValidationError("--timeout must be 1 or more seconds") }
        _ = try parameterPairs()
    }

    /// `-p NAME VALUE` as two arguments becomes `-p NAME=VALUE` before parsing, as papermill spells it.
    static func joiningParameterPairs(_ arguments: [String]) -> [String] {
        guard arguments.first == "run" else { return arguments }
        var joined: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "-p", index + 2 < arguments.count, !arguments[index + 1].contains("=") {
                joined += ["-p", arguments[index + 1] + "=" + arguments[index + 2]]
                index += 3
            } else {
                joined.append(argument)
                index += 1
            }
        }
        return joined
    }

    private func parameterPairs() throws -> [(name: String, value: String)] {
        try parameters.map { text in
            guard let equals = text.firstIndex(of: "=") else { throw ValidationError("-p \(text): expected NAME VALUE or NAME=VALUE") }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var problems: [String] = []
        var flags = budget.flags
        if let cellTimeout { flags[.wallSeconds] = SettingText(argument: "\(cellTimeout)") }
        let budget = BudgetOptions.budget(flags: flags, environment: environment, problems: &problems)
        sandbox.policy.check(problems: &problems)
        var options = CompareOptions(ignoreEvalue: ignoreEvalue, compareMime: compareMime,
                                     sanitizer: noDefaultSanitizers ? Sanitizer() : .builtIn)
        for path in sanitizeWith {
            let text = String(decoding: try FileAccess.read(path, what: "sanitize file"), as: UTF8.self)
            do { options.sanitizer.rules += try Sanitizer.parse(text, source: path).rules } catch { problems.append("\(error)") }
        }
        guard problems.isEmpty else { throw CommandFailure(lines: problems) }
        let settings = SessionSettings(toolchain: toolchain.toolchain, sandboxed: !sandbox.noSandbox,
                                       seccompPolicy: sandbox.policy.seccompPolicy, budget: budget)
        let job = NotebookJob(settings: settings, parameters: try parameterPairs(), options: options,
                              deadline: timeout.map { ContinuousClock.now + .seconds($0) })
        if check {
            try runChecks(job)
        } else {
            try runPlain(job)
        }
    }

    /// Runs each notebook with its transcript; writes it out (or back, with --update).
    private func runPlain(_ job: NotebookJob) throws {
        let colour = ConsoleColour.enabled
        var failed = false
        for path in notebooks {
            let result = job.run(path, echo: { say(colour ? $0 : ConsoleColour.stripped($0), newline: false) })
            if let problem = result.problem { throw CommandFailure(problem) }
            let destination = update ? path : output ?? ((path as NSString).deletingPathExtension + ".out.ipynb")
            let written = update ? NotebookCheck.updated(result.original, from: result.executed) : result.executed
            try FileAccess.write(written.serialized(), to: destination)
            say("\(update ? "Updated" : "Wrote") \(destination): \(result.summary.codeCells) code cells, \(result.summary.unexpectedFailures) unexpected failure(s).")
            failed = failed || result.summary.unexpectedFailures > 0
        }
        if failed { throw ExitCode(1) }
    }

    /// Checks the notebooks, up to `jobs` at once, printing each one's verdict as it finishes.
    private func runChecks(_ job: NotebookJob) throws {
        let colour = ConsoleColour.enabled
        let results = Mutex<[Int: NotebookJob.Result]>([:])
        let next = Atomic(0)
        let group = DispatchGroup()
        for _ in 0..<min(jobs, notebooks.count) {
            DispatchQueue.global().async(group: group) {
                while case let index = next.add(1, ordering: .relaxed).oldValue, index < notebooks.count {
                    let result = job.run(notebooks[index], echo: { _ in })
                    let report = CheckConsole.report(result, colour: colour)
                    results.withLock { results in
                        results[index] = result
                        say(report)
                    }
                }
            }
        }
        group.wait()
        let ordered = results.withLock { results in notebooks.indices.compactMap { results[$0] } }
        for result in ordered where result.failed && result.problem == nil {
            let copy = (result.path as NSString).deletingPathExtension + ".out.ipynb"
            try FileAccess.write(result.executed.serialized(), to: copy)
        }
        if let junit {
            let report = JUnitReport.xml(ordered.map(\.junit), perCell: junitCases == .cell)
            try FileAccess.write(Array(report.utf8), to: junit)
        }
        let failures = ordered.filter(\.failed).count
        say(failures == 0 ? "ghcbox run --check: all \(ordered.count) notebooks passed"
            : "ghcbox run --check: \(failures) of \(ordered.count) notebooks failed")
        if failures > 0 { throw ExitCode(1) }
    }
}
