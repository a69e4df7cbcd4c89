import Foundation
import Prometheus
import Testing
@testable import Telemetry

@Suite struct MetricsFileWriterTests {
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "ghcbox-telemetry-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func make(_ path: String) -> (MetricsFileWriter, KernelMetrics) {
        let factory = DescribedPrometheusFactory(descriptions: KernelMetrics.descriptions)
        return (MetricsFileWriter(path: path, registry: factory.registry), KernelMetrics(factory: factory))
    }

    @Test func rewritesTheFileAndLeavesNoTemporaryFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (writer, metrics) = make(directory + "/ghcbox.prom")
        try writer.write()
        #expect(try String(contentsOfFile: writer.path, encoding: .utf8).contains("\nghcbox_interrupts_total 0\n"))
        metrics.interrupted()
        try writer.write()
        let text = try String(contentsOfFile: writer.path, encoding: .utf8)
        #expect(text.contains("\nghcbox_interrupts_total 1\n"))
        #expect(text.contains("# HELP ghcbox_interrupts_total Interrupt requests received.\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["ghcbox.prom"])
    }

    @Test func readersAlwaysSeeAWholeFile() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (writer, metrics) = make(directory + "/ghcbox.prom")
        try writer.write()
        let rounds = 200
        let writing = Task.detached {
            for i in 1...rounds {
                metrics.queueDepth(i)
                try writer.write()
            }
        }
        var lastDepth = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while lastDepth < rounds, ContinuousClock.now < deadline {
            let text = try String(contentsOfFile: writer.path, encoding: .utf8)
            // Whole means every family is there and the text ends with a complete line.
            #expect(text.components(separatedBy: "# TYPE ").count - 1 == KernelMetrics.descriptions.count)
            #expect(text.hasSuffix("\n"))
            let depth = try #require(text.split(separator: "\n").first { $0.hasPrefix("ghcbox_queue_depth ") })
            lastDepth = Int(try #require(Double(depth.dropFirst("ghcbox_queue_depth ".count))))
        }
        try await writing.value
        #expect(lastDepth == rounds)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["ghcbox.prom"])
    }

    @Test func aMissingDirectoryIsAnErrorNamingThePath() {
        let (writer, _) = make("/nonexistent-ghcbox-dir/x.prom")
        let error = #expect(throws: TelemetryError.self) { try writer.write() }
        #expect(error?.code == .open)
        #expect(error?.errno == .noSuchFileOrDirectory)
        #expect(error?.description.contains("/nonexistent-ghcbox-dir/") == true)
    }
}
