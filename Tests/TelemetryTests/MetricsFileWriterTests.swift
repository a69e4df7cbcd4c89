import Foundation
import Testing
@testable import Telemetry

@Suite struct MetricsFileWriterTests {
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "ghcbox-telemetry-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func rewritesTheFileAndLeavesNoTemporaryFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = PrometheusRegistry(descriptions: KernelMetrics.descriptions)
        let metrics = KernelMetrics(factory: registry)
        let writer = MetricsFileWriter(path: directory + "/ghcbox.prom", registry: registry)
        try writer.write()
        #expect(try String(contentsOfFile: writer.path, encoding: .utf8).contains("ghcbox_interrupts_total 0\n"))
        metrics.interrupted()
        try writer.write()
        #expect(try String(contentsOfFile: writer.path, encoding: .utf8) == registry.render())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["ghcbox.prom"])
    }

    @Test func readersAlwaysSeeAWholeFile() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = PrometheusRegistry(descriptions: KernelMetrics.descriptions)
        let metrics = KernelMetrics(factory: registry)
        let writer = MetricsFileWriter(path: directory + "/ghcbox.prom", registry: registry)
        try writer.write()
        let rounds = 200
        let writing = Task.detached {
            for i in 0..<rounds {
                metrics.queueDepth(i)
                try writer.write()
            }
        }
        var reads = 0
        while reads < rounds {
            let text = try String(contentsOfFile: writer.path, encoding: .utf8)
            // Whole means: it ends with the last family's last sample, and starts with a HELP line.
            #expect(text.hasPrefix("# HELP "))
            #expect(text.hasSuffix("ghcbox_session_restarts_total 0\n"))
            reads += 1
        }
        try await writing.value
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["ghcbox.prom"])
    }

    @Test func aMissingDirectoryIsAnError() {
        let writer = MetricsFileWriter(path: "/nonexistent-ghcbox-dir/x.prom", registry: PrometheusRegistry())
        #expect(throws: TelemetryError.self) { try writer.write() }
    }
}
