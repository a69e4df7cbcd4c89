import Foundation
import Logging
import Testing
@testable import Telemetry

@Suite struct JSONLogHandlerTests {
    private func capture(_ body: (Logger) -> Void) throws -> [[String: Any]] {
        let path = NSTemporaryDirectory() + "ghcbox-log-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let output = try JSONLogOutput(appendingTo: path)
            var logger = Logger(label: "ghcbox.kernel") { JSONLogHandler(label: $0, output: output) }
            logger[metadataKey: "session"] = "s-1"
            body(logger)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any])
        }
    }

    @Test func oneObjectPerLineWithFlattenedMetadata() throws {
        let lines = try capture { logger in
            logger.info("cell finished", metadata: [
                "execution_count": .stringConvertible(7),
                "event": "cell_finished",
                "duration": .stringConvertible(0.25),
                "status": "error",
                "cpu_seconds": .stringConvertible(0.2),
                "peak_memory_bytes": .stringConvertible(123_456_789),
                "limit": "memory",
                "diagnostics": .array([.dictionary(["line": .stringConvertible(3), "msg": "boom"])]),
            ])
            logger.debug("not shown at info level")
        }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line["level"] as? String == "info")
        #expect(line["label"] as? String == "ghcbox.kernel")
        #expect(line["msg"] as? String == "cell finished")
        #expect(line["session"] as? String == "s-1")
        #expect(line["execution_count"] as? Int == 7)
        #expect(line["event"] as? String == "cell_finished")
        #expect(line["duration"] as? Double == 0.25)
        #expect(line["status"] as? String == "error")
        #expect(line["cpu_seconds"] as? Double == 0.2)
        #expect(line["peak_memory_bytes"] as? Int == 123_456_789)
        #expect(line["limit"] as? String == "memory")
        let diagnostics = try #require(line["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["msg"] as? String == "boom")
        let ts = try #require(line["ts"] as? String)
        #expect(ts.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
    }

    @Test func awkwardTextIsEscaped() throws {
        let message = "quote \" backslash \\ newline \n tab \t bell \u{7} unicode λ \u{2028}"
        let lines = try capture { logger in
            logger.warning("\(message)", metadata: ["msg": "clash", "weird key\"": "v"])
        }
        let line = try #require(lines.first)
        #expect(line["msg"] as? String == message)
        #expect(line["meta_msg"] as? String == "clash")
        #expect(line["weird key\""] as? String == "v")
        #expect(line["level"] as? String == "warning")
    }

    @Test func concurrentLinesNeverInterleave() throws {
        let lines = try capture { logger in
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for i in 0..<200 {
                    logger.info("line", metadata: ["worker": .stringConvertible(worker), "i": .stringConvertible(i), "pad": .string(String(repeating: "x", count: 500))])
                }
            }
        }
        #expect(lines.count == 1600)
    }

    @Test func timestampIsUTC() {
        #expect(LogTimestamp.format(seconds: 0, milliseconds: 7) == "1970-01-01T00:00:00.007Z")
        #expect(LogTimestamp.format(seconds: 1_700_000_000, milliseconds: 123) == "2023-11-14T22:13:20.123Z")
    }
}
