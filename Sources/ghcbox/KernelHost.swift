import Foundation
import HaskellKernel
import JupyterWire
import Kernel
import Logging
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// Serves one Jupyter session on the sockets `connection` names: what `kernel` and `launch` share,
/// so both run the same interpreter, budgets and sandbox.
enum KernelHost {
    /// `whenBound` runs once the kernel's sockets are bound and signals are routed, before GHCi
    /// boots; if it throws, the kernel stops without serving. `readyMetadata` joins the "kernel ready" line.
    static func serve(connection: ConnectionInfo, session: SessionOptions, telemetry: TelemetryOptions,
                      readyMetadata: Logger.Metadata, whenBound: (Logger) throws -> Void = { _ in }) throws {
        try telemetry.bootstrapLogging()
        let sessionID = UUID().uuidString.lowercased()
        var logger = Logger(label: "ghcbox")
        logger[metadataKey: "session"] = "\(sessionID)"
        let settings = try session.settings()
        let maxMessageBytes = try session.maxMessageBytes()
        // The session's cgroup is joined while the rest of the kernel starts (see CgroupSpawner).
        let prepared = InterpreterFactory.prepareSpawner(settings, logger: logger)
        let hub = try telemetry.makeHub(logger: logger)
        let interpreter = InterpreterFactory.make(settings, logger: logger, prepared: prepared, observer: hub)
        // Only cgroups a minute old or more: never the one just prepared.
        let swept = CgroupSweeper.removeStale()
        if swept > 0 { logger.info("removed cgroups left by killed kernels", metadata: ["count": "\(swept)"]) }
        let server = try KernelServer(connection: connection, logger: logger, maxMessageBytes: maxMessageBytes)
        let headers = HeaderFactory(session: sessionID, username: "ghcbox")
        let core = KernelCore(interpreter: interpreter, headers: headers, logger: logger, queueDepth: settings.budget.queueDepth, observer: hub,
                              send: { server.enqueue($0) }, onShutdown: { server.stop() })
        let signals = try SignalPipe.install([SIGINT, SIGTERM, SIGHUP])
        do { try whenBound(logger) } catch {
            interpreter.session.shutdown()
            hub.stop()
            throw error
        }
        ParentWatch.start(logger: logger) { server.stop() }
        core.start()
        // Boot GHCi now, so the first cell does not wait for it (never when cells are refused).
        if interpreter.blockedReason == nil {
            DispatchQueue.global().async { try? interpreter.session.start() }
        }
        logger.info("kernel ready", metadata: readyMetadata.merging(["sandbox": "\(interpreter.session.launcher.isolation)"]) { $1 })
        server.run(core: core, signalFD: signals)
        interpreter.session.shutdown()
        hub.stop()
    }
}
