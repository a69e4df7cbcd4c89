import Foundation

/// A JUnit XML report of `ghcbox run --check`, as CI systems read it: a `testsuite` per
/// notebook, with a `testcase` per code cell or one for the whole notebook.
public enum JUnitReport {
    public struct Notebook: Sendable {
        public var path: String
        public var verdicts: [CellVerdict]
        public var seconds: Double
        /// Why the notebook could not be checked at all (unreadable, not a notebook).
        public var problem: String?

        public init(path: String, verdicts: [CellVerdict], seconds: Double, problem: String? = nil) {
            self.path = path
            self.verdicts = verdicts
            self.seconds = seconds
            self.problem = problem
        }

        var failed: Bool { problem != nil || verdicts.contains(where: \.failed) }
    }

    public static func xml(_ notebooks: [Notebook], perCell: Bool) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, skipped: 0, seconds: 0.0)
        for notebook in notebooks {
            let cases = perCell && notebook.problem == nil ? notebook.verdicts.map { cellCase($0, path: notebook.path) }
                : [notebookCase(notebook)]
            let failures = cases.filter { $0.failed }.count
            let skipped = cases.filter { $0.skipped }.count
            totals = (totals.tests + cases.count, totals.failures + failures, totals.skipped + skipped, totals.seconds + notebook.seconds)
            suites.append("  <testsuite name=\(attribute(notebook.path)) tests=\"\(cases.count)\" failures=\"\(failures)\" "
                + "errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds(notebook.seconds))\">\n"
                + cases.map(\.xml).joined() + "  </testsuite>\n")
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"ghcbox run --check\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" errors=\"0\" "
            + "skipped=\"\(totals.skipped)\" time=\"\(seconds(totals.seconds))\">\n" + suites.joined() + "</testsuites>\n"
    }

    private struct Case {
        var xml: String
        var failed: Bool
        var skipped: Bool
    }

    private static func cellCase(_ verdict: CellVerdict, path: String) -> Case {
        let open = "    <testcase classname=\(attribute(path)) name=\(attribute("cell \(verdict.number): \(verdict.firstLine)")) "
            + "time=\"\(seconds(verdict.seconds))\""
        switch verdict.outcome {
        case .passed:
            return Case(xml: open + "/>\n", failed: false, skipped: false)
        case .skipped:
            return Case(xml: open + ">\n      <skipped message=\"tagged to skip\"/>\n    </testcase>\n", failed: false, skipped: true)
        case .failed(let reasons, let diff):
            return Case(xml: open + ">\n" + failure(reasons, body: CheckText.diff(diff)) + "    </testcase>\n", failed: true, skipped: false)
        }
    }

    private static func notebookCase(_ notebook: Notebook) -> Case {
        let open = "    <testcase classname=\(attribute(notebook.path)) name=\(attribute(notebook.path)) time=\"\(seconds(notebook.seconds))\""
        if let problem = notebook.problem {
            return Case(xml: open + ">\n" + failure([problem], body: "") + "    </testcase>\n", failed: true, skipped: false)
        }
        let failed = notebook.verdicts.filter(\.failed)
        guard !failed.isEmpty else { return Case(xml: open + "/>\n", failed: false, skipped: false) }
        let body = failed.map { CheckText.cell($0) }.joined(separator: "\n")
        return Case(xml: open + ">\n" + failure(["\(failed.count) of \(notebook.verdicts.count) cells failed"], body: body)
            + "    </testcase>\n", failed: true, skipped: false)
    }

    private static func failure(_ reasons: [String], body: String) -> String {
        "      <failure message=\(attribute(reasons.joined(separator: "; "))) type=\"notebook-check\">"
            + escaped(body) + "</failure>\n"
    }

    private static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    private static func attribute(_ text: String) -> String { "\"" + escaped(text) + "\"" }

    /// XML 1.0 text: the five special characters escaped, and characters XML cannot hold (most
    /// control characters, ANSI escapes among them) left out.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
