import Foundation
import GHCiRuntime
import HaskellKernel
import Kernel
import Logging
import Telemetry

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
