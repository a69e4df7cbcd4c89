import Foundation
import JSONValue

/// How one code cell fared in `ghcbox run --check`.
public struct CellVerdict: Sendable {
    public enum Outcome: Sendable, Equatable {
        case passed
        /// Tagged `skip-execution` or `nbval-skip`: not run, stored outputs kept.
        case skipped
        /// Each reason one line; `diff` shows stored against new outputs.
        case failed(reasons: [String], diff: [TextDiff.Line])
    }

    /// 1-based among the notebook's code cells.
    public let number: Int
    public let firstLine: String
    public let outcome: Outcome
    public let seconds: Double

    public var failed: Bool { if case .failed = outcome { true } else { false } }

    public static let raisesTags: Set<String> = ["raises-exception", "nbval-raises-exception"]
    public static let skipTags: Set<String> = ["skip-execution", "nbval-skip"]
    public static let ignoreOutputTag = "nbval-ignore-output"

    /// Judges a cell from its stored and new outputs, its tags and how its run ended.
    /// `storedRan`: the stored cell has an execution count (a cell saved without one and without
    /// outputs was never run, and has nothing to compare, as nbval treats it).
    static func judge(number: Int, source: String, tags: [String], stored: [JSON], storedRan: Bool = true,
                      run: NotebookRunner.CellRun, options: CompareOptions) -> CellVerdict {
        let firstLine = source.split(separator: "\n").first.map(String.init) ?? ""
        func verdict(_ outcome: Outcome) -> CellVerdict {
            CellVerdict(number: number, firstLine: firstLine, outcome: outcome, seconds: run.seconds)
        }
        var reasons: [String] = []
        switch run.status {
        case .skipped:
            return verdict(.skipped)
        case .notRun:
            return verdict(.failed(reasons: ["not run: the run's time limit had passed"], diff: []))
        case .ok where !Set(tags).isDisjoint(with: raisesTags):
            let tag = tags.first(where: raisesTags.contains) ?? "raises-exception"
            reasons.append("expected an error (tagged \(tag)), but the cell succeeded")
        case .failed(let ename, let evalue) where Set(tags).isDisjoint(with: raisesTags):
            if ename == "resource-limit", evalue.contains("time limit") {
                reasons.append("timed out after \(String(format: "%.0f", run.seconds.rounded(.down))) s: \(evalue)")
            } else if ename == "Interrupted", run.deadlinePassed {
                reasons.append("stopped: the run's time limit passed while it ran")
            } else {
                reasons.append("failed: \(ename): \(evalue)")
            }
        default:
            break
        }
        var diff: [TextDiff.Line] = []
        if !tags.contains(ignoreOutputTag) && !(stored.isEmpty && !storedRan) {
            let old = ComparedOutputs.lines(stored, options: options)
            let new = ComparedOutputs.lines(run.outputs, options: options)
            if old != new {
                // A failure already names the change; the diff shows it.
                if reasons.isEmpty { reasons.append("outputs differ from the stored ones") }
                diff = TextDiff.lines(old: old, new: new)
            }
        }
        return verdict(reasons.isEmpty ? .passed : .failed(reasons: reasons, diff: diff))
    }
}
