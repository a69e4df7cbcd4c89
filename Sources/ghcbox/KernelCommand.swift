import ArgumentParser
import Foundation
import HaskellKernel
import InterpreterAPI
import JupyterWire
import Kernel
import Logging
import Sandbox
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Serve one Jupyter session (what the kernelspec runs).",
        discussion: "A bad setting (flag, GHCBOX_* variable or budgets.conf line) does not stop the kernel: it answers, names the problem in its banner and refuses every cell with `configuration-error`.")

    @Option(name: .customLong("connection-file"), help: "The connection file Jupyter wrote.")
    var connectionFile: String?

    @Flag(name: .customLong("check-config"), help: "Print every problem in the flags, GHCBOX_* variables and budgets.conf, and exit (1 if there is one) without serving.")
    var checkConfig = false

    @OptionGroup(title: "GHC") var toolchain: ToolchainOptions
    @OptionGroup(title: "Sandbox") var sandbox: SandboxOptions
    @OptionGroup(title: "Budgets") var budget: BudgetOptions
    @OptionGroup(title: "Budgets") var queue: QueueDepthOption

    @Option(name: .customLong("max-message-mb"), parsing: .unconditional, help: "Largest message the kernel reads from a client, in MB (env GHCBOX_MAX_MESSAGE_MB; default 64).")
    var maxMessageMB: SettingText?

    @OptionGroup(title: "Metrics and logs") var telemetry: TelemetryOptions

    func validate() throws {
        if connectionFile == nil && !checkConfig {
            throw ValidationError("Missing expected argument '--connection-file <connection-file>'")
        }
    }

    func run() throws {
        try serve(argumentProblems: [])
    }

    /// A kernel whose arguments could not be parsed, when they still name a connection file:
    /// it serves the session and refuses every cell with `problem`, since a kernelspec's
    /// mistake must reach the notebook.
    static func refusing(arguments: [String], because problem: String) -> (() throws -> Void)? {
        guard arguments.first == "kernel", !arguments.contains("--check-config"),
              let path = connectionFileArgument(in: arguments),
              let fallback = try? KernelCommand.parse(["--connection-file", path]) else { return nil }
        return { try fallback.serve(argumentProblems: ["the arguments of `ghcbox kernel`: \(problem)"]) }
    }

    private static func connectionFileArgument(in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == "--connection-file", index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix("--connection-file=") { return String(argument.dropFirst("--connection-file=".count)) }
        }
        return nil
    }

    private func serve(argumentProblems: [String]) throws {
        var configuration = KernelConfiguration(self, environment: ProcessInfo.processInfo.environment)
        configuration.problems = argumentProblems + configuration.problems
        if checkConfig {
            guard configuration.problems.isEmpty else { throw CommandFailure(lines: configuration.problems) }
            say("The configuration is valid.")
            return
        }
        let routes = configuration.logRoutes
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, routes: routes) }
        let sessionID = UUID().uuidString.lowercased()
        var logger = Logger(label: "ghcbox")
        logger[metadataKey: "session"] = "\(sessionID)"
        let connectionFile = connectionFile ?? ""
        let connection = try Self.connection(in: connectionFile)
        let (hub, metricsProblem) = makeHub(configuration, logger: logger)
        let problems = configuration.problems + (metricsProblem.map { [$0] } ?? [])
        let settings = configuration.settings
        let (interpreter, haskell) = Self.interpreter(settings, problems: problems, logger: logger, hub: hub)
        // Only cgroups a minute old or more: never the one just prepared.
        let swept = CgroupSweeper.removeStale()
        if swept > 0 { logger.info("removed cgroups left by killed kernels", metadata: ["count": "\(swept)"]) }
        let server: KernelServer
        do {
            server = try KernelServer(connection: connection, logger: logger, maxMessageBytes: configuration.maxMessageBytes)
        } catch {
            haskell?.session.shutdown()
            throw CommandFailure("cannot serve the session of connection file \(connectionFile): \(error)")
        }
        let headers = HeaderFactory(session: sessionID, username: "ghcbox")
        let core = KernelCore(interpreter: interpreter, headers: headers, logger: logger, queueDepth: settings.budget.queueDepth, observer: hub,
                              send: { server.enqueue($0) }, onShutdown: { server.stop() })
        let signals = try SignalPipe.install([SIGINT, SIGTERM, SIGHUP])
        ParentWatch.start(logger: logger) { server.stop() }
        core.start()
        // Boot GHCi now, so the first cell does not wait for it (never when cells are refused).
        if let haskell, haskell.blockedReason == nil {
            DispatchQueue.global().async { try? haskell.session.start() }
        }
        let sandbox = haskell?.session.launcher.isolation ?? "none: the configuration is invalid"
        logger.info("kernel ready", metadata: ["connection_file": "\(connectionFile)", "sandbox": "\(sandbox)"])
        server.run(core: core, signalFD: signals)
        haskell?.session.shutdown()
        hub.stop()
    }

    /// A connection file that cannot be used ends the kernel: there is no one to tell.
    private static func connection(in path: String) throws -> ConnectionInfo {
        do {
            return try ConnectionInfo.parse(try FileAccess.read(path, what: "connection file"))
        } catch let error as WireError {
            throw CommandFailure("connection file \(path): \(error)")
        }
    }

    /// GHCi's interpreter (in the jail, or refusing cells when it cannot be built), or one that
    /// refuses cells naming the configuration's problems; the second value is GHCi's, to start and stop.
    private static func interpreter(_ settings: SessionSettings, problems: [String], logger: Logger,
                                    hub: TelemetryHub) -> (any Interpreter, HaskellInterpreter?) {
        guard problems.isEmpty else {
            for problem in problems {
                logger.error("bad configuration; cells will be refused", metadata: ["problem": "\(problem)"])
            }
            return (MisconfiguredInterpreter(problems: problems, ghcVersion: settings.toolchain.version()), nil)
        }
        // The session's cgroup is joined while the rest of the kernel starts (see CgroupSpawner).
        let prepared = InterpreterFactory.prepareSpawner(settings, logger: logger)
        let haskell = InterpreterFactory.make(settings, logger: logger, prepared: prepared, observer: hub)
        return (haskell, haskell)
    }

    /// The metrics exporters; a port that cannot be served is a problem of the configuration.
    private func makeHub(_ configuration: KernelConfiguration, logger: Logger) -> (TelemetryHub, problem: String?) {
        do {
            return (try TelemetryHub(metricsFile: configuration.metricsFile, metricsPort: configuration.metricsPort, logger: logger), nil)
        } catch {
            let port = configuration.metricsPort.map(String.init) ?? ""
            let problem = "the metrics port (--metrics-port or GHCBOX_METRICS_PORT) \(port) cannot be served: \(error)"
            // Without a port there is no server to start, so nothing in it can fail.
            return (try! TelemetryHub(metricsFile: configuration.metricsFile, metricsPort: nil, logger: logger), problem)
        }
    }
}
