import ArgumentParser
import Foundation
import HaskellKernel
import JupyterWire
import Kernel
import Logging
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Serve one Jupyter session (what the kernelspec runs).")

    @Option(name: .customLong("connection-file"), help: "The connection file Jupyter wrote.")
    var connectionFile: String

    @OptionGroup var session: SessionOptions
    @OptionGroup var telemetry: TelemetryOptions

    func run() throws {
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
        let connection: ConnectionInfo
        do { connection = try ConnectionInfo.load(path: connectionFile) } catch {
            throw ValidationError("cannot use connection file \(connectionFile): \(error)")
        }
        // Only cgroups a minute old or more: never the one just prepared.
        let swept = CgroupSweeper.removeStale()
        if swept > 0 { logger.info("removed cgroups left by killed kernels", metadata: ["count": "\(swept)"]) }
        let server = try KernelServer(connection: connection, logger: logger, maxMessageBytes: maxMessageBytes)
        let headers = HeaderFactory(session: sessionID, username: "ghcbox")
        let core = KernelCore(interpreter: interpreter, headers: headers, logger: logger, queueDepth: settings.budget.queueDepth, observer: hub,
                              send: { server.enqueue($0) }, onShutdown: { server.stop() })
        let signals = try SignalPipe.install([SIGINT, SIGTERM, SIGHUP])
        ParentWatch.start(logger: logger) { server.stop() }
        core.start()
        // Boot GHCi now, so the first cell does not wait for it (never when cells are refused).
        if interpreter.blockedReason == nil {
            DispatchQueue.global().async { try? interpreter.session.start() }
        }
        logger.info("kernel ready", metadata: ["connection_file": "\(connectionFile)", "sandbox": "\(interpreter.session.launcher.isolation)"])
        server.run(core: core, signalFD: signals)
        interpreter.session.shutdown()
        hub.stop()
    }
}
