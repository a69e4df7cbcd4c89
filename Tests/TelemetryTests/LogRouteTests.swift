import Foundation
import Logging
import Testing
@testable import Telemetry

@Suite struct LogRouteTests {
    private func lines(in path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func eachRouteTakesItsLevelAndAbove() throws {
        let quiet = NSTemporaryDirectory() + "ghcbox-quiet-\(UUID().uuidString).jsonl"
        let full = NSTemporaryDirectory() + "ghcbox-full-\(UUID().uuidString).jsonl"
        defer {
            try? FileManager.default.removeItem(atPath: quiet)
            try? FileManager.default.removeItem(atPath: full)
        }
        do {
            let routes = [LogRoute(try JSONLogOutput(appendingTo: quiet), minimumLevel: .warning),
                          LogRoute(try JSONLogOutput(appendingTo: full), minimumLevel: .info)]
            let logger = Logger(label: "ghcbox") { JSONLogHandler(label: $0, routes: routes) }
            #expect(logger.logLevel == .info)
            logger.debug("nowhere")
            logger.info("cell finished")
            logger.warning("metrics file not written")
        }
        let quietLines = try lines(in: quiet)
        let fullLines = try lines(in: full)
        #expect(quietLines.count == 1 && quietLines[0].contains("\"msg\":\"metrics file not written\""))
        #expect(fullLines.count == 2 && fullLines[0].contains("\"msg\":\"cell finished\""))
    }
}
