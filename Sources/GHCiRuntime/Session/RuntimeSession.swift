import Foundation
import Logging

/// One notebook session: a GHCi started through the launcher, fed cell by
/// cell, and replaced when it dies or will not stop. `execute`, `complete`
/// and `inspect` are called from one worker thread; `interrupt` from any.
public final class RuntimeSession: @unchecked Sendable {
    public let configuration: RuntimeConfiguration
    public let launcher: SessionLauncher
    private let logger: Logger
    private let lock = NSLock()
    /// Held while a GHCi boots, so the warm-up start and a first cell never start two.
    private let startLock = NSLock()
    // Guarded by `lock`.
    private var process: GHCiProcess?
    private var interruptRequested = false
    private var running = false

    /// Told when a session is replaced (telemetry).
    public var onRestart: (@Sendable () -> Void)?

    public init(configuration: RuntimeConfiguration, launcher: SessionLauncher, logger: Logger) {
        self.configuration = configuration
        self.launcher = launcher
        self.logger = logger
    }

    /// Starts GHCi if it is not running.
    public func start() throws {
        startLock.lock()
        defer { startLock.unlock() }
        if current() != nil { return }
        let began = monotonicNow()
        let started = try GHCiProcess.start(
            launcher: launcher, executable: configuration.ghci, arguments: configuration.arguments,
            environment: configuration.environment, timeout: configuration.startTimeout)
        lock.withLock { process = started }
        // start_seconds: launch to GHCi ready for a first cell (bench/run compares it with and without the jail).
        logger.info("session started", metadata: [
            "pid": "\(started.child.pid)", "isolation": "\(launcher.isolation)",
            "start_seconds": "\(String(format: "%.4f", monotonicNow() - began))",
        ])
    }

    /// Runs a cell chunk by chunk; the first failure stops the rest.
    public func execute(_ job: ExecutionJob, io: ChunkIO) -> ExecutionOutcome {
        let began = Date()
        lock.withLock {
            interruptRequested = false
            running = true
        }
        defer { lock.withLock { running = false } }
        var outcome = runChunks(job, io: io)
        outcome.duration = Date().timeIntervalSince(began)
        return outcome
    }

    /// After a cell, before the next: nothing the cell wrote in the jail's scratch survives.
    public func finishCell() {
        guard let ghci = current() else { return }
        do { try launcher.cleanUp(after: ghci.child) } catch {
            logger.warning("scratch cleanup failed", metadata: ["error": "\(error)"])
        }
    }

    /// Stops the running cell: SIGINT to GHCi, and if it has not stopped within the grace period
    /// the chunk is abandoned and the session replaced.
    public func interrupt() {
        let target: GHCiProcess? = lock.withLock {
            guard running else { return nil }
            interruptRequested = true
            return process
        }
        target?.interrupt(grace: configuration.interruptGrace)
    }

    /// Stops GHCi for good (shutdown) or before a fresh start (restart).
    public func shutdown() {
        let old = lock.withLock { () -> GHCiProcess? in
            defer { process = nil }
            return process
        }
        old?.terminate()
    }

    /// Runs a directive and returns what it printed (for completion and inspection).
    public func query(_ directive: String) -> String? {
        guard let ghci = try? startedProcess() else { return nil }
        let report = ghci.run(directive, io: .discard, capture: true, deadline: monotonicNow() + 10)
        guard report.ending == .completed else {
            if case .died = report.ending { replace(reason: "GHCi died during \(directive)") }
            return nil
        }
        return report.compileFailed ? nil : report.captured
    }

    // MARK: -

    private func current() -> GHCiProcess? { lock.withLock { process } }

    private func startedProcess() throws -> GHCiProcess {
        if let ghci = current() { return ghci }
        try start()
        guard let ghci = current() else { throw RuntimeError(.boot, detail: "GHCi did not start") }
        return ghci
    }

    private func wasInterrupted() -> Bool { lock.withLock { interruptRequested } }

    /// Kills the session now and boots the next one in the background, so the
    /// reply that says so is not held up by GHCi's start.
    private func replace(reason: String) {
        logger.warning("replacing session", metadata: ["reason": "\(reason)"])
        shutdown()
        onRestart?()
        DispatchQueue.global().async { [self] in
            do { try start() } catch { logger.error("session restart failed", metadata: ["error": "\(error)"]) }
        }
    }

    private func runChunks(_ job: ExecutionJob, io: ChunkIO) -> ExecutionOutcome {
        let ghci: GHCiProcess
        // A boot takes half a second: the cell is under way meanwhile.
        if current() == nil { io.underway() }
        do { ghci = try startedProcess() } catch {
            if let why = launcher.explain(launchFailure: error) { return .failure(ename: "sandbox-unavailable", evalue: why) }
            return .failure(ename: "restart-required", evalue: "GHCi could not be started: \(error)")
        }
        let guardian = CellGuard(process: ghci, budget: configuration.budget, counters: ghci.counters,
                                 grace: configuration.breachGrace)
        let counted = ChunkIO(output: io.output, input: io.input, underway: {
            io.underway()
            guardian.begin()
        })
        var outcome = runChunks(job, on: ghci, io: counted, watch: guardian.watch)
        var (breach, usage) = guardian.finish()
        outcome.usage = usage
        if breach == nil, let text = outcome.exceptionText {
            breach = ResourceBreach.raised(by: text, budget: configuration.budget, usage: usage)
        }
        if let breach { outcome = resourceLimit(breach, after: outcome, ghci: ghci, cell: job.executionCount) }
        return outcome
    }

    private func runChunks(_ job: ExecutionJob, on ghci: GHCiProcess, io: ChunkIO, watch: ChunkWatch?) -> ExecutionOutcome {
        var outcome = ExecutionOutcome.ok
        for chunk in CellSplitter.split(job.code) {
            if wasInterrupted() { return .interrupted(outcome) }
            let input = ChunkInput.text(for: chunk, cell: job.executionCount)
            if input.isEmpty { continue }
            let report = ghci.run(input, reboot: ChunkInput.needsReboot(chunk), io: io, watch: watch)
            let context = ChunkContext(cell: job.executionCount, startLine: chunk.startLine, chunkText: chunk.text)
            outcome.lastChunk = context
            outcome.diagnostics += CellDiagnostics.warnings(report, context)
            switch report.ending {
            case .interrupted:
                return .interrupted(outcome)
            case .timedOut:
                replace(reason: "chunk did not stop after an interrupt")
                var aborted = ExecutionOutcome.interrupted(outcome)
                aborted.sessionRestarted = true
                aborted.evalue = "Interrupted. GHCi did not stop in time and was restarted: earlier definitions were lost."
                aborted.traceback = ["\u{1b}[0;33mInterrupted\u{1b}[0m: \(aborted.evalue)"]
                if !aborted.diagnostics.isEmpty { aborted.diagnostics[aborted.diagnostics.count - 1].message = aborted.evalue }
                return aborted
            case .died(let how):
                replace(reason: how)
                var failed = ExecutionOutcome.failure(
                    ename: "restart-required",
                    evalue: "The Haskell session ended unexpectedly (\(how)). A fresh session was started: earlier definitions were lost.")
                failed.sessionRestarted = true
                failed.diagnostics = outcome.diagnostics + [CellDiagnostics.runtime(ename: failed.ename, message: failed.evalue, context)]
                return failed
            case .completed:
                if let failure = CellDiagnostics.failure(report, context, source: job.code) {
                    var failed = failure
                    failed.diagnostics = outcome.diagnostics + failure.diagnostics
                    failed.exceptionText = report.exceptionReport
                    return failed
                }
            }
        }
        return outcome
    }

    /// Turns a breach into the cell's `resource-limit` error; probes the session and
    /// replaces it if it is sick (heap still full, or gone).
    private func resourceLimit(_ breach: ResourceBreach, after partial: ExecutionOutcome, ghci: GHCiProcess, cell: Int) -> ExecutionOutcome {
        var outcome = ExecutionOutcome.failure(ename: "resource-limit", evalue: breach.message)
        outcome.diagnostics = partial.diagnostics.filter { $0.severity == .warning }
        outcome.usage = partial.usage
        outcome.breach = breach
        var restarted = partial.sessionRestarted
        // Processes left at the pids limit would starve the next cell: start afresh.
        if !restarted && (breach.limit == .pids || !isHealthy(ghci)) {
            replace(reason: "unhealthy after \(breach.limit.rawValue) limit")
            restarted = true
        }
        if restarted {
            outcome.sessionRestarted = true
            outcome.evalue += ". The session was restarted: earlier definitions were lost."
        }
        outcome.traceback = ["\u{1b}[0;31mresource-limit\u{1b}[0m: \(outcome.evalue)"]
        let chunk = partial.lastChunk ?? ChunkContext(cell: cell, startLine: 1, lineCount: 1)
        outcome.diagnostics.append(CellDiagnostics.runtime(ename: "resource-limit", message: outcome.evalue, chunk))
        return outcome
    }

    /// A quick probe: can GHCi still collect its heap and run a command? GHC may deliver a
    /// heap overflow late, to whatever runs next, so a first failure gets a second try.
    private func isHealthy(_ ghci: GHCiProcess) -> Bool {
        for _ in 0..<2 {
            guard current() === ghci, ghci.isAlive else { return false }
            let probe = ghci.run("System.Mem.performMajorGC", io: .discard, deadline: monotonicNow() + 2)
            if probe.ending == .completed && probe.exceptionReport == nil && !probe.compileFailed { return true }
            if probe.ending != .completed { return false }
        }
        return false
    }
}

extension ExecutionOutcome {
    static func failure(ename: String, evalue: String) -> ExecutionOutcome {
        var outcome = ExecutionOutcome(status: .error)
        outcome.ename = ename
        outcome.evalue = evalue
        outcome.traceback = ["\u{1b}[0;31m\(ename)\u{1b}[0m: \(evalue)"]
        return outcome
    }

    static func interrupted(_ partial: ExecutionOutcome) -> ExecutionOutcome {
        var outcome = partial
        outcome.status = .aborted
        outcome.ename = "Interrupted"
        outcome.evalue = "Interrupted: the cell was stopped."
        outcome.traceback = ["\u{1b}[0;33mInterrupted\u{1b}[0m: the cell was stopped; the rest of it did not run."]
        if let chunk = partial.lastChunk {
            outcome.diagnostics.append(CellDiagnostics.runtime(ename: "Interrupted", message: outcome.evalue, chunk))
        }
        return outcome
    }
}
