import JSONValue
import Foundation
import GHCiRuntime
import JupyterWire
import Kernel
import Logging
import Sandbox

/// Glue between the protocol's `Interpreter` seam and a GHCi `RuntimeSession`.
final class GHCiInterpreter: Interpreter, @unchecked Sendable {
    let session: RuntimeSession
    let logger: Logger
    /// Told about every finished cell (telemetry).
    var observer: CellObserver?
    let info: InterpreterInfo
    /// Why cells cannot run (the jail could not be built); nil when they can.
    let blockedReason: String?
    /// Output one cell may send.
    let outputBytes: Int

    init(session: RuntimeSession, ghcVersion: String, outputBytes: Int = ResourceBudget.builtIn.outputMB << 20, blockedReason: String?, logger: Logger) {
        self.session = session
        self.outputBytes = outputBytes
        self.logger = logger
        self.blockedReason = blockedReason
        let isolation = session.launcher.isolation
        var banner = "ghcbox \(GhcboxVersion.current): Haskell (GHC \(ghcVersion)) for Jupyter\nSandbox: \(isolation)"
        // Which budgets this host lets the jail enforce; `ghcbox doctor` says why and what to change.
        if session.launcher is JailLauncher && blockedReason == nil {
            let budgets = HostCheck.enforcement().summary
            banner += "\nBudgets: \(budgets)"
            logger.info("budgets", metadata: ["enforced": "\(budgets)"])
        }
        info = InterpreterInfo(
            implementation: "ghcbox", implementationVersion: GhcboxVersion.current, languageVersion: ghcVersion,
            banner: banner)
    }

    func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome {
        var metadata: [String: JSON] = ["sandbox": .string(session.launcher.isolation)]
        if let blockedReason {
            var refused = ExecuteOutcome(status: .error)
            refused.ename = "sandbox-unavailable"
            refused.evalue = blockedReason
            refused.traceback = ["\u{1b}[0;31msandbox-unavailable\u{1b}[0m: \(blockedReason)"]
            refused.metadata = metadata
            return refused
        }
        let budget = OutputBudget(bytes: outputBytes)
        let io = ChunkIO(
            output: { produced in
                guard let output = budget.admit(produced) else { return }
                switch output {
                case .stdout(let text): context.publish(.stream(name: "stdout", text: text))
                case .stderr(let text): context.publish(.stream(name: "stderr", text: text))
                case .result(let text): context.publish(.executeResult(data: ["text/plain": .string(text)]))
                }
            },
            input: { prompt in
                switch context.requestInput(prompt, false) {
                case .text(let line): return .text(line)
                case .cancelled: return .cancelled
                case .notAllowed: return .denied("stdin is not available: this client does not accept input (allow_stdin is false)")
                }
            },
            underway: context.underway)
        let job = ExecutionJob(code: request.code, executionCount: request.executionCount)
        let outcome = session.execute(job, io: io)
        // Warnings of a cell that ran are shown too, not only returned as data.
        let warnings = outcome.diagnostics.filter { $0.severity == .warning }
        if outcome.status == .ok && !warnings.isEmpty {
            let text = warnings.flatMap { $0.traceback(cellSource: request.code) }.joined(separator: "\n")
            context.publish(.stream(name: "stderr", text: text + "\n"))
        }
        var reply = ExecuteOutcome(status: ExecuteOutcome.Status(rawValue: outcome.status.rawValue) ?? .error)
        reply.ename = outcome.ename
        reply.evalue = outcome.evalue
        reply.traceback = outcome.traceback
        reply.extraContent["diagnostics"] = .array(outcome.diagnostics.map { diagnostic in
            (try? JSON.parse(Array(diagnostic.jsonText.utf8))) ?? .null
        })
        if outcome.sessionRestarted { metadata["session_restarted"] = true }
        metadata["duration_seconds"] = .double(outcome.duration)
        if let usage = outcome.usage {
            metadata["cpu_seconds"] = .double(usage.cpuSeconds)
            metadata["peak_memory_bytes"] = .int(usage.memoryPeakBytes)
        }
        if let idle = outcome.idleCPUSeconds { metadata["idle_cpu_seconds"] = .double(idle) }
        if let breach = outcome.breach { metadata["resource_limit"] = .string(breach.limit.rawValue) }
        let dropped = budget.droppedBytes
        if dropped > 0 { metadata["output_dropped_bytes"] = .int(dropped) }
        reply.metadata = metadata
        // Before the reply: a client that has its reply finds the cell in the log and the metrics.
        logCell(request, outcome)
        observer?.cellFinished(outcome)
        return reply
    }

    func finishCell() {
        session.finishCell()
    }

    /// One structured log line per cell, for operators.
    private func logCell(_ request: ExecuteRequest, _ outcome: ExecutionOutcome) {
        var fields: Logger.Metadata = [
            "event": "cell", "execution_count": "\(request.executionCount)", "status": "\(outcome.status.rawValue)",
            "duration": "\(tenthsOfMilliseconds(outcome.duration))",
        ]
        if !outcome.ename.isEmpty { fields["ename"] = "\(outcome.ename)" }
        if let usage = outcome.usage {
            fields["cpu_seconds"] = "\(tenthsOfMilliseconds(usage.cpuSeconds))"
            fields["peak_memory_bytes"] = "\(usage.memoryPeakBytes)"
        }
        if let breach = outcome.breach { fields["limit"] = "\(breach.limit.rawValue)" }
        if !outcome.diagnostics.isEmpty {
            fields["diagnostics"] = .array(outcome.diagnostics.map { "\($0.severity.rawValue):\($0.code ?? $0.ename)" })
        }
        logger.info("cell finished", metadata: fields)
    }

    /// Seconds rounded to 0.1 ms, as in "0.0123". Foundation's `String(format:)` was 40% of
    /// this log line's cost in a profile of trivial cells.
    private func tenthsOfMilliseconds(_ seconds: Double) -> Double {
        (seconds * 10_000).rounded() / 10_000
    }

    func complete(code: String, cursorPos: Int) -> CompletionResult {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(0, cursorPos), scalars.count)
        let lineStart = scalars[..<cursor].lastIndex(of: "\n").map { $0 + 1 } ?? 0
        let line = String(String.UnicodeScalarView(scalars[lineStart..<cursor]))
        guard let output = session.query(":complete repl 0-200 \(haskellString(line))") else {
            return CompletionResult(matches: [], cursorStart: cursor, cursorEnd: cursor)
        }
        let completions = CompletionListing.parse(output)
        return CompletionResult(matches: completions.candidates,
                                cursorStart: lineStart + completions.unusedPrefix.unicodeScalars.count, cursorEnd: cursor)
    }

    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> InspectionResult? {
        guard let name = IdentifierAtCursor.find(in: code, cursor: cursorPos) else { return nil }
        for directive in [":info", ":type", ":kind"] {
            if let text = session.query("\(directive) \(name)")?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                return InspectionResult(data: [
                    "text/plain": .string(text),
                    "text/markdown": .string("```haskell\n\(text)\n```"),
                ])
            }
        }
        return nil
    }

    func isComplete(code: String) -> CompletenessResult {
        switch CompletenessChecker.check(code) {
        case .complete: return .complete
        case .incomplete(let indent): return .incomplete(indent: indent)
        case .invalid: return .invalid
        }
    }

    func interrupt() { session.interrupt() }

    func shutdown(restart: Bool) {
        session.interrupt()
        session.shutdown()
    }

    private func haskellString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// What telemetry hears about each cell.
protocol CellObserver: Sendable {
    func cellFinished(_ outcome: ExecutionOutcome)
}
