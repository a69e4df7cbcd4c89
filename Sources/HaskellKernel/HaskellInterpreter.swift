import Foundation
import GHCiRuntime
import InterpreterAPI
import JSONValue
import Logging
import Sandbox

/// Haskell for the kernel: cells, completion and inspection run in a GHCi `RuntimeSession`;
/// replies carry the runtime's diagnostics and measurements.
public final class HaskellInterpreter: Interpreter, Sendable {
    public let session: RuntimeSession
    let logger: Logger
    /// Told about every finished cell (telemetry).
    let observer: CellObserver?
    public let info: InterpreterInfo
    /// Why cells cannot run (the jail could not be built); nil when they can.
    public let blockedReason: String?
    /// The session's budgets, as configured (the jail enforces what the host allows).
    let budget: ResourceBudget
    /// Output one cell may send.
    var outputBytes: Int { budget.outputMB << 20 }

    public init(session: RuntimeSession, ghcVersion: String, budget: ResourceBudget = .builtIn,
                blockedReason: String?, observer: CellObserver? = nil, logger: Logger) {
        self.session = session
        self.observer = observer
        self.budget = budget
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
            implementation: "ghcbox", implementationVersion: GhcboxVersion.current,
            languageInfo: HaskellLanguage.languageInfo(ghcVersion: ghcVersion), banner: banner,
            helpLinks: HaskellLanguage.helpLinks)
    }

    public func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome {
        var metadata: [String: JSON] = ["sandbox": .string(session.launcher.isolation)]
        if let blockedReason {
            var refused = ExecuteOutcome.failure(ename: "sandbox-unavailable", evalue: blockedReason)
            refused.metadata = metadata
            return refused
        }
        let budget = OutputBudget(bytes: outputBytes)
        let outcome = session.execute(request, io: budget.limiting(context))
        // Warnings of a cell that ran are shown too, not only returned as data.
        let warnings = outcome.diagnostics.filter { $0.severity == .warning }
        if outcome.reply.status == .ok && !warnings.isEmpty {
            let text = warnings.flatMap { $0.traceback(cellSource: request.code) }.joined(separator: "\n")
            context.publish(.stream(name: "stderr", text: text + "\n"))
        }
        var reply = outcome.reply
        reply.extraContent["diagnostics"] = .array(outcome.diagnostics.map(\.json))
        if outcome.sessionRestarted { metadata["session_restarted"] = true }
        metadata["duration_seconds"] = .double(outcome.duration / .seconds(1))
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

    public func finishCell() {
        session.finishCell()
    }

    /// Comm messages go to the session's handlers; with no session running, a comm the
    /// frontend opens is refused and other messages have no one to go to.
    public func comm(_ message: CommMessage, context: ExecutionContext) {
        let limited = OutputBudget(bytes: outputBytes).limiting(context)
        if blockedReason != nil || !session.deliver(message, io: limited), let refusal = message.refusal {
            context.publish(.comm(refusal))
        }
    }

    public var sessionGeneration: Int { session.generation }

    /// One structured log line per cell, for operators.
    private func logCell(_ request: ExecuteRequest, _ outcome: ExecutionOutcome) {
        var fields: Logger.Metadata = [
            "event": "cell", "execution_count": "\(request.executionCount)", "status": "\(outcome.reply.status.rawValue)",
            "duration": "\(tenthsOfMilliseconds(outcome.duration / .seconds(1)))",
        ]
        if !outcome.reply.ename.isEmpty { fields["ename"] = "\(outcome.reply.ename)" }
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

    public func complete(code: String, cursorPos: Int) -> CompletionResult {
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

    /// Level 0 (a tooltip) is the name's declaration and where it is defined; level 1 adds the
    /// instances GHCi knows and the Haddock text, where the name's package has it.
    public func inspect(code: String, cursorPos: Int, detailLevel: Int) -> InspectionResult? {
        guard let name = IdentifierAtCursor.find(in: code, cursor: cursorPos) else { return nil }
        var found: (directive: String, text: String)?
        for directive in [":info", ":type", ":kind"] {
            if let text = session.query("\(directive) \(name)")?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                found = (directive, text)
                break
            }
        }
        guard let found else { return nil }
        var declaration = found.text
        if found.directive == ":info" && detailLevel == 0 {
            let listing = InfoListing.parse(found.text)
            if !listing.declarations.isEmpty { declaration = listing.declarations }
        }
        var plain = declaration
        var markdown = "```haskell\n\(declaration)\n```"
        if detailLevel > 0, let doc = session.query(":doc \(name)").flatMap(DocListing.text) {
            plain += "\n\n" + doc
            // Haddock markup is not Markdown: shown as written.
            markdown += "\n\n```\n\(doc)\n```"
        }
        return InspectionResult(data: ["text/plain": .string(plain), "text/markdown": .string(markdown)])
    }

    public func isComplete(code: String) -> CompletenessResult {
        CompletenessChecker.check(code)
    }

    /// A full queue also gets a diagnostic record, of the same shape as the runtime's.
    public func queueFull(depth: Int) -> ExecuteOutcome {
        var refusal = ExecuteOutcome.failure(ename: "queue-full", evalue: ExecuteOutcome.queueFullMessage(depth: depth))
        refusal.extraContent["diagnostics"] = [Diagnostic(
            severity: .error, module: "Cell[queued]", span: SourceSpan(line: 1, column: 1), message: refusal.evalue,
            suggestion: "Wait for the running cells to finish, or raise GHCBOX_QUEUE_DEPTH.",
            summary: "Queue full: the cell was not run", ename: "queue-full").json]
        return refusal
    }

    public func interrupt() { session.interrupt() }

    public func shutdown(restart: Bool) {
        session.interrupt()
        session.shutdown()
    }

    private func haskellString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
