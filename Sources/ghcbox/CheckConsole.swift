import Foundation
import HaskellKernel

/// What `ghcbox run --check` prints for one notebook: a PASS or FAIL line with its cells and
/// time, then each failing cell with its reasons and diff.
enum CheckConsole {
    static func report(_ result: NotebookJob.Result, colour: Bool) -> String {
        let time = String(format: "%.1f s", result.seconds)
        func verdict(_ word: String, _ code: String) -> String { colour ? "\u{1b}[\(code)m\(word)\u{1b}[0m" : word }
        if let problem = result.problem {
            return "\(verdict("FAIL", "1;31")) \(result.path)  \(problem)"
        }
        let cells = result.verdicts.filter { $0.number > 0 }.count
        let failed = result.verdicts.filter(\.failed)
        let counted = cells == 1 ? "1 cell" : "\(cells) cells"
        guard !failed.isEmpty else { return "\(verdict("PASS", "1;32")) \(result.path)  \(counted)  \(time)" }
        let copy = (result.path as NSString).deletingPathExtension + ".out.ipynb"
        return (["\(verdict("FAIL", "1;31")) \(result.path)  \(failed.count) of \(counted) failed  \(time)"]
            + failed.map { CheckText.cell($0, colour: colour) } + ["  executed copy: \(copy)"]).joined(separator: "\n")
    }
}
