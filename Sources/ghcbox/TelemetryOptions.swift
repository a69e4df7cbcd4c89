import JSONValue
import ArgumentParser
import Foundation
import GHCiRuntime
import HaskellKernel
import Kernel
import Logging
import Telemetry

/// Where metrics and logs go: `--metrics-file`, `--metrics-port`, `--log-file` (or GHCBOX_* variables).
struct TelemetryOptions: ParsableArguments {
    @Option(name: .customLong("metrics-file"), help: "Rewrite Prometheus metrics here after every cell (env GHCBOX_METRICS_FILE), for node_exporter's textfile collector.")
    var metricsFile: String?

    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics (env GHCBOX_METRICS_PORT).")
    var metricsPort: UInt16?

    @Option(name: .customLong("log-file"), help: "Append JSON log lines here instead of stderr (env GHCBOX_LOG_FILE).")
    var logFile: String?

    /// Installs the JSON log handler; call once, before any logger is made.
    func bootstrapLogging() throws {
        let path = logFile ?? ProcessInfo.processInfo.environment["GHCBOX_LOG_FILE"]
        let output = try path.map { try JSONLogOutput(appendingTo: $0) } ?? .standardError
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, output: output) }
    }

    func makeHub(logger: Logger) throws -> TelemetryHub {
        let env = ProcessInfo.processInfo.environment
        var port = metricsPort
        if port == nil, let text = env["GHCBOX_METRICS_PORT"] {
            guard let parsed = UInt16(text), parsed > 0 else {
                throw ValidationError("GHCBOX_METRICS_PORT must be a port number from 1 to 65535, not '\(text)'")
            }
            port = parsed
        }
        return try TelemetryHub(metricsFile: metricsFile ?? env["GHCBOX_METRICS_FILE"], metricsPort: port, logger: logger)
    }
}

/// The kernel's metrics: the recorder over one Prometheus registry, and the two ways out.
final class TelemetryHub: KernelObserver, CellObserver, Sendable {
    let metrics: KernelMetrics
    private let file: MetricsFileWriter?
    private let server: MetricsHTTPServer?
    private let logger: Logger

    init(metricsFile: String?, metricsPort: UInt16?, logger: Logger) throws {
        self.logger = logger
        let factory = DescribedPrometheusFactory(descriptions: KernelMetrics.descriptions)
        let registry = factory.registry
        metrics = KernelMetrics(factory: factory)
        file = metricsFile.map { MetricsFileWriter(path: $0, registry: registry) }
        server = metricsPort.map { MetricsHTTPServer(port: $0, registry: registry) }
        try server?.start()
        if let server { logger.info("serving metrics", metadata: ["url": "http://127.0.0.1:\(server.boundPort ?? 0)/metrics"]) }
        flush()
    }

    func cellFinished(_ outcome: ExecutionOutcome) {
        metrics.cellFinished(status: outcome.reply.status.rawValue, duration: outcome.duration,
                             cpuTime: (outcome.usage?.cpuSeconds).flatMap(Duration.init(measuredSeconds:)),
                             peakMemoryBytes: outcome.usage?.memoryPeakBytes, breachedLimit: outcome.breach?.limit.rawValue,
                             idleCPUTime: outcome.idleCPUSeconds.flatMap(Duration.init(measuredSeconds:)))
        flush()
    }

    func queueDepthChanged(_ depth: Int) { metrics.queueDepth(depth) }
    func interrupted() { metrics.interrupted() }
    func queueRejected() { metrics.queueRejected(); flush() }
    func sessionRestarted() { metrics.sessionRestarted() }

    func stop() { server?.stop() }

    private func flush() {
        do { try file?.write() } catch { logger.warning("metrics file not written", metadata: ["error": "\(error)"]) }
    }
}
