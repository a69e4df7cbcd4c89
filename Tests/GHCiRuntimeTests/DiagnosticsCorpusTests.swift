import Foundation
import Testing
@testable import GHCiRuntime

/// The issue 5 corpus against GHCi's captured stderr: every case must yield its
/// expected records, and 100% must carry module, line and severity.
@Suite struct DiagnosticsCorpusTests {
    @Test(arguments: ["9.0", "9.6"])
    func capturedFixturesParse(version: String) throws {
        let corpus = try DiagnosticsCorpus.load()
        #expect(corpus.cases.count >= 40)
        var located = 0
        var problems: [String] = []
        for c in corpus.cases {
            guard let stderr = DiagnosticsCorpus.capturedStderr(c.id, version: version) else {
                problems.append("\(c.id): no ghc-\(version) fixture (run Tests/Fixtures/diagnostics/capture.sh)")
                continue
            }
            let records = c.diagnostics(stderr: stderr)
            if !records.isEmpty, records.allSatisfy({ !$0.module.isEmpty && $0.span.startLine >= 1 }) {
                located += 1
            }
            problems += c.mismatches(records, version: version)
        }
        let percent = corpus.cases.isEmpty ? 0 : located * 100 / corpus.cases.count
        print("diagnostics coverage (GHC \(version)): \(located)/\(corpus.cases.count) cases have module, line and severity (\(percent)%)")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(located == corpus.cases.count)
    }
}

/// Runs the corpus through GHCi now, so a change in GHC's wording is caught here
/// rather than in a notebook.
@Suite struct DiagnosticsLiveTests {
    /// A spread of the corpus: parse, scope, type, extension, warning, runtime.
    static let liveCases: Set<String> = [
        "parse-bad-layout", "scope-typo", "scope-module-not-found", "type-mismatch-signature",
        "type-missing-context", "type-error-third-chunk-multiline", "extension-tuple-sections",
        "warning-unused-matches", "runtime-error-call-stack", "runtime-non-exhaustive-function",
        "runtime-undefined", "runtime-readfile-missing", "runtime-record-construction",
    ]

    @Test func liveGHC90() throws {
        guard let ghci = GHCiTranscript.hostGHCi else {
            Issue.record("ghci is not on PATH; the live GHC 9.0 corpus test cannot run")
            return
        }
        try runLive(ghci, version: "9.0")
    }

    @Test(.enabled(if: GHCiTranscript.trixieGHCi != nil,
                   "needs root and a Debian 13 root with ghc and /proc mounted at $GHCBOX_TRIXIE_ROOT or /work/trixie-root"))
    func liveGHC96() throws {
        try runLive(try #require(GHCiTranscript.trixieGHCi), version: "9.6")
    }

    private func runLive(_ ghci: GHCiTranscript, version: String) throws {
        let corpus = try DiagnosticsCorpus.load()
        for c in corpus.cases where Self.liveCases.contains(c.id) {
            let stderr = try ghci.run(c)[c.failing]
            let problems = c.mismatches(c.diagnostics(stderr: stderr), version: version)
            #expect(problems.isEmpty, "GHC \(version) live: \(problems.joined(separator: "\n"))\n\(stderr)")
        }
    }

    /// Regenerates the fixtures: `GHCBOX_CAPTURE=9.0 swift test --filter captureFixtures`
    /// (capture.sh does this). Skipped in ordinary runs.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GHCBOX_CAPTURE"] != nil, "set GHCBOX_CAPTURE=9.0 or 9.6 to capture"))
    func captureFixtures() throws {
        let version = try #require(ProcessInfo.processInfo.environment["GHCBOX_CAPTURE"])
        let ghci = try #require(version == "9.6" ? GHCiTranscript.trixieGHCi : GHCiTranscript.hostGHCi)
        let corpus = try DiagnosticsCorpus.load()
        let dir = DiagnosticsCorpus.directory.appendingPathComponent("ghc-\(version)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for c in corpus.cases {
            let stderr = try ghci.run(c)[c.failing]
            try stderr.write(to: DiagnosticsCorpus.fixtureURL(c.id, version: version), atomically: true, encoding: .utf8)
        }
    }
}
