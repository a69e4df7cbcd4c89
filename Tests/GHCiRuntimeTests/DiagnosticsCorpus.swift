import Foundation
@testable import GHCiRuntime

/// The failing-cell corpus of issue 5 (Tests/Fixtures/diagnostics/corpus.json; outside the target because
/// SwiftPM warns about every undeclared file in a target and Package.swift stays as is) and
/// the stderr GHCi printed for each case, captured per GHC version.
struct DiagnosticsCorpus: Decodable {
    var cases: [Case]

    struct Case: Decodable, Sendable {
        var id: String
        var cell: Int
        var chunks: [String]
        var failing: Int
        var setup: [String]?
        var spans: Bool?
        var rts: [String]?
        var expect: [Expected]

        /// 1-based first line of each chunk: chunks are consecutive lines of the cell.
        var startLines: [Int] {
            var line = 1
            return chunks.map { chunk in
                defer { line += chunk.split(separator: "\n", omittingEmptySubsequences: false).count }
                return line
            }
        }

        var source: String { chunks.joined(separator: "\n") }

        var failingContext: ChunkContext {
            ChunkContext(cell: cell, startLine: startLines[failing], chunkText: chunks[failing])
        }
    }

    struct Expected: Decodable, Sendable {
        var severity: String
        var line: Int
        var column: Int?
        var ename: String?
        var flag: String?
        var codes: [String: String]?
        var message: [String]?
        var suggestion: [String]?
        var summary: [String]?
    }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/diagnostics")

    static func load() throws -> DiagnosticsCorpus {
        let data = try Data(contentsOf: directory.appendingPathComponent("corpus.json"))
        return try JSONDecoder().decode(DiagnosticsCorpus.self, from: data)
    }

    /// Captured stderr of the failing chunk for GHC `version` ("9.0", "9.6").
    static func capturedStderr(_ id: String, version: String) -> String? {
        let url = directory.appendingPathComponent("ghc-\(version)/\(id).stderr")
        return try? String(contentsOf: url, encoding: .utf8)
    }

    static func fixtureURL(_ id: String, version: String) -> URL {
        directory.appendingPathComponent("ghc-\(version)/\(id).stderr")
    }
}

extension DiagnosticsCorpus.Case {
    /// Every record the failing chunk produces.
    func diagnostics(stderr: String) -> [Diagnostic] {
        DiagnosticParser.parse(stderr, chunk: failingContext)
    }

    /// Problems found matching `records` against the expectation, empty when all hold.
    /// Each expected record must match a distinct parsed record; extra records are allowed
    /// (-Wall may add warnings the case is not about).
    func mismatches(_ records: [Diagnostic], version: String) -> [String] {
        var problems: [String] = []
        var unused = records
        for expected in expect {
            if let index = unused.firstIndex(where: { expected.problems(with: $0, cell: cell, version: version).isEmpty }) {
                unused.remove(at: index)
            } else {
                let closest = records.map { expected.problems(with: $0, cell: cell, version: version) }
                    .min(by: { $0.count < $1.count }) ?? ["no records parsed"]
                problems.append("\(id): expected \(expected.severity) at line \(expected.line): "
                                + closest.joined(separator: "; "))
            }
        }
        return problems
    }
}

extension DiagnosticsCorpus.Expected {
    func problems(with d: Diagnostic, cell: Int, version: String) -> [String] {
        var p: [String] = []
        func check(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { p.append(what()) } }
        check(d.severity.rawValue == severity, "severity \(d.severity.rawValue)")
        check(d.module == Diagnostic.moduleName(cell: cell), "module \(d.module)")
        check(d.span.startLine == line, "line \(d.span.startLine)")
        if let column { check(d.span.startColumn == column, "column \(d.span.startColumn)") }
        check(d.ename == (ename ?? Diagnostic.compileErrorName), "ename \(d.ename)")
        if let flag { check(d.warningFlag == flag, "flag \(d.warningFlag ?? "nil")") }
        check(d.code == codes?[version], "code \(d.code ?? "nil")")
        func contains(_ text: String?, _ words: [String]?, _ field: String) {
            for word in words ?? [] {
                check(text?.localizedCaseInsensitiveContains(word) == true,
                      "\(field) lacks ‘\(word)’: \(text ?? "nil")")
            }
        }
        contains(d.message, message, "message")
        contains(d.suggestion, suggestion, "suggestion")
        contains(d.summary, summary, "summary")
        return p
    }
}
