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

/// Serves one Jupyter session on the sockets `connection` names: what `kernel` and `launch` share,
/// so both run the same interpreter, budgets and sandbox, and both refuse cells naming any
/// problem of their configuration.
enum KernelHost {
    /// `whenBound` runs once the kernel's sockets are bound and signals are routed, before GHCi
    /// boots; if it throws, the kernel stops without serving. `readyMetadata` joins the "kernel ready" line.
    static func serve(connection: ConnectionInfo, configuration: KernelConfiguration, readyMetadata: Logger.Metadata,
                      whenBound: (Logger) throws -> Void = { _ in }) throws {
        let routes = configuration.logRoutes
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, routes: routes) }
        let sessionID = UUID().uuidString.lowercased()
        var logger = Logger(label: "ghcbox")
        logger[metadataKey: "session"] = "\(sessionID)"
        let (hub, metricsProblem) = makeHub(configuration, logger: logger)
        let problems = configuration.problems + (metricsProblem.map { [$0] } ?? [])
        let settings = configuration.settings
        let (interpreter, haskell) = makeInterpreter(settings, problems: problems, logger: logger, hub: hub)
        // Only cgroups a minute old or more: never the one just prepared.
        let swept = CgroupSweeper.removeStale()
        if swept > 0 { logger.info("removed cgroups left by killed kernels", metadata: ["count": "\(swept)"]) }
        let server: KernelServer
        do {
            server = try KernelServer(connection: connection, logger: logger, maxMessageBytes: configuration.maxMessageBytes)
        } catch {
            haskell?.session.shutdown()
            throw CommandFailure("cannot serve the session's sockets: \(error)")
        }
        let headers = HeaderFactory(session: sessionID, username: "ghcbox")
        let core = KernelCore(interpreter: interpreter, headers: headers, logger: logger, queueDepth: settings.budget.queueDepth,
                              observer: hub, send: { server.enqueue($0) }, onShutdown: { server.stop() })
        let signals = try SignalPipe.install([SIGINT, SIGTERM, SIGHUP])
        do { try whenBound(logger) } catch {
            haskell?.session.shutdown()
            hub.stop()
            throw error
        }
        ParentWatch.start(logger: logger) { server.stop() }
        core.start()
        // Boot GHCi now, so the first cell does not wait for it (never when cells are refused).
        if let haskell, haskell.blockedReason == nil {
            DispatchQueue.global().async { try? haskell.session.start() }
        }
        let sandbox = haskell?.session.launcher.isolation ?? "none: the configuration is invalid"
        logger.info("kernel ready", metadata: readyMetadata.merging(["sandbox": "\(sandbox)"]) { $1 })
        server.run(core: core, signalFD: signals)
        haskell?.session.shutdown()
        hub.stop()
    }

    /// GHCi's interpreter (in the jail, or refusing cells when it cannot be built), or one that
    /// refuses cells naming the configuration's problems; the second value is GHCi's, to start and stop.
    private static func makeInterpreter(_ settings: SessionSettings, problems: [String], logger: Logger,
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
    private static func makeHub(_ configuration: KernelConfiguration, logger: Logger) -> (TelemetryHub, problem: String?) {
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
