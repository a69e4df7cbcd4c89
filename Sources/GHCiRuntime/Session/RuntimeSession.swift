import Foundation
import Synchronization
import InterpreterAPI
import Logging

/// One notebook session: a GHCi started through the launcher, fed cell by
/// cell, and replaced when it dies or will not stop. `execute`, `complete`
/// and `inspect` are called from one worker thread; `interrupt` from any.
public final class RuntimeSession: Sendable {
    private struct State {
        var process: GHCiProcess?
        var interruptRequested = false
        var running = false
        /// The session's CPU time when its last cell ended (or it became ready): the next cell
        /// reports what the session used since as idle CPU.
        var idleSince: Double?
        /// How many GHCi processes have ended (replaced, quit or shut down).
        var generation = 0
    }

    public let configuration: RuntimeConfiguration
    public let launcher: SessionLauncher
    private let logger: Logger
    private let state = Mutex(State())
    /// Held while a GHCi boots, so the warm-up start and a first cell never start two.
    private let startLock = Mutex(())
    /// Told when a session is replaced (telemetry).
    private let onRestart: @Sendable () -> Void

    public init(configuration: RuntimeConfiguration, launcher: SessionLauncher, logger: Logger,
                onRestart: @escaping @Sendable () -> Void = {}) {
        self.configuration = configuration
        self.launcher = launcher
        self.logger = logger
        self.onRestart = onRestart
    }

    /// Starts GHCi if it is not running.
    public func start() throws {
        try startLock.withLock { _ in try startUnlocked() }
    }

    private func startUnlocked() throws {
        if current() != nil { return }
        let began = ContinuousClock.now
        let started = try GHCiProcess.start(
            launcher: launcher, executable: configuration.ghci, arguments: configuration.arguments,
            environment: configuration.environment, timeout: configuration.startTimeout,
            messageLimit: configuration.messageLimit)
        let ready = started.counters?.sample().cpuSeconds
        state.withLock { state in
            state.process = started
            state.idleSince = ready
        }
        // start_seconds: launch to GHCi ready for a first cell (bench/run compares it with and without the jail).
        logger.info("session started", metadata: [
            "pid": "\(started.child.pid)", "isolation": "\(launcher.isolation)",
            "start_seconds": "\(String(format: "%.4f", (ContinuousClock.now - began) / .seconds(1)))",
        ])
    }

    /// Runs a cell chunk by chunk; the first failure stops the rest.
    public func execute(_ job: ExecuteRequest, io: ExecutionContext) -> ExecutionOutcome {
        let began = ContinuousClock.now
        var outcome = whileRunning { runChunks(job, io: io) }
        outcome.duration = ContinuousClock.now - began
        return outcome
    }

    /// Runs work that `interrupt` may stop (a cell, a comm handler).
    private func whileRunning<T>(_ work: () -> T) -> T {
        state.withLock { state in
            state.interruptRequested = false
            state.running = true
        }
        defer { state.withLock { $0.running = false } }
        return work()
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
        let target: GHCiProcess? = state.withLock { state in
            guard state.running else { return nil }
            state.interruptRequested = true
            return state.process
        }
        target?.interrupt(grace: configuration.interruptGrace)
    }

    /// Stops GHCi for good (shutdown) or before a fresh start (restart).
    public func shutdown() {
        let old = state.withLock { state in
            defer { state.process = nil }
            if state.process != nil { state.generation += 1 }
            return state.process
        }
        old?.terminate()
    }

    /// Moves each time a GHCi ends: what lived in it (definitions, comms) is gone.
    public var generation: Int { state.withLock { $0.generation } }

    /// Hands a comm message from the frontend to the session's handlers (`GHCbox.Comm.deliver`),
    /// as a chunk that can be interrupted and is bounded by the cell's wall-clock budget.
    /// False when no GHCi runs: the message is for comms that ended with an earlier one.
    public func deliver(_ message: CommMessage, io: ExecutionContext) -> Bool {
        guard let ghci = current() else { return false }
        let deadline = configuration.budget.wall.map { ContinuousClock.now + $0 }
        let report = whileRunning {
            ghci.run("\(SessionModule.name).deliver", cellStart: true, io: io, deadline: deadline,
                     line: CommDelivery.line(for: message))
        }
        switch report.ending {
        case .completed, .interrupted:
            if let exception = report.exceptionReport { io.publish(.stream(name: "stderr", text: exception)) }
        case .timedOut:
            replace(reason: "a comm handler did not stop in time")
            io.publish(.stream(name: "stderr", text: Self.handlerLost("did not stop in time")))
        case .died(let how):
            replace(reason: how)
            io.publish(.stream(name: "stderr", text: Self.handlerLost("ended the session (\(how))")))
        }
        return true
    }

    /// What the sender of a comm message is told when its handler cost the session.
    static func handlerLost(_ what: String) -> String {
        "[ghcbox] a comm handler \(what): a fresh session was started; earlier definitions and widgets were lost\n"
    }

    /// Runs a directive and returns what it printed (for completion and inspection).
    public func query(_ directive: String) -> String? {
        guard let ghci = try? startedProcess() else { return nil }
        let report = ghci.run(directive, io: .discard, capture: true, deadline: .now + .seconds(10))
        guard report.ending == .completed else {
            if case .died = report.ending { replace(reason: "GHCi died during \(directive)") }
            return nil
        }
        return report.compileFailed ? nil : report.captured
    }

    /// The running GHCi's session counters, read now: nil without a GHCi or without a cgroup.
    /// It takes no lock a cell holds, so it answers while a cell runs.
    public func countersNow() -> CounterSample? { current()?.counters?.sample() }

    // MARK: -

    private func current() -> GHCiProcess? { state.withLock { $0.process } }

    private func startedProcess() throws -> GHCiProcess {
        if let ghci = current() { return ghci }
        try start()
        guard let ghci = current() else { throw RuntimeError(.boot, detail: "GHCi did not start") }
        return ghci
    }

    private func wasInterrupted() -> Bool { state.withLock { $0.interruptRequested } }

    /// Kills the session now and boots the next one in the background, so the
    /// reply that says so is not held up by GHCi's start.
    private func replace(reason: String) {
        logger.warning("replacing session", metadata: ["reason": "\(reason)"])
        shutdown()
        onRestart()
        DispatchQueue.global().async { [self] in
            do { try start() } catch { logger.error("session restart failed", metadata: ["error": "\(error)"]) }
        }
    }

    private func runChunks(_ job: ExecuteRequest, io: ExecutionContext) -> ExecutionOutcome {
        let ghci: GHCiProcess
        // A boot takes half a second: the cell is under way meanwhile.
        if current() == nil { io.underway() }
        do { ghci = try startedProcess() } catch {
            if let why = launcher.explain(launchFailure: error) { return .failure(ename: "sandbox-unavailable", evalue: why) }
            return .failure(ename: "restart-required", evalue: "GHCi could not be started: \(error)")
        }
        let grace = configuration.breachGrace
        let since = state.withLock { $0.process === ghci ? $0.idleSince : nil }
        let guardian = CellGuard(budget: configuration.budget, counters: ghci.counters, idleSince: since) {
            ghci.interrupt(grace: grace)
        }
        let counted = ExecutionContext(publish: io.publish, requestInput: io.requestInput, underway: {
            io.underway()
            guardian.begin()
        })
        var outcome = runChunks(job, on: ghci, io: counted, watch: guardian.watch)
        let chunksAfterQuit = outcome.chunksAfterQuit
        // A cgroup keeps its last counters once removed, so a GHCi that died still shows what it ran into.
        var (breach, usage) = guardian.finish(failed: outcome.exceptionText != nil || outcome.sessionRestarted)
        outcome.usage = usage
        if breach == nil, let text = outcome.exceptionText {
            breach = ResourceBreach.raised(by: text, budget: configuration.budget, usage: usage)
        }
        if let breach { outcome = resourceLimit(breach, after: outcome, ghci: ghci, cell: job.executionCount) }
        outcome.idleCPUSeconds = guardian.idleCPUSeconds
        // The next idle window opens after the probe a breach runs, which is no cell's work either.
        let end = breach == nil ? guardian.endCPUSeconds : ghci.counters?.sample().cpuSeconds
        state.withLock { if $0.process === ghci { $0.idleSince = end } }
        if let skipped = chunksAfterQuit {
            // After the cell's usage is read: the cgroup goes with GHCi.
            quit(ghci, restSkipped: skipped > 0, io: io)
            outcome.sessionRestarted = true
        }
        return outcome
    }

    /// Ends GHCi because the cell said `:quit`; the next cell boots a fresh one.
    private func quit(_ ghci: GHCiProcess, restSkipped: Bool, io: ExecutionContext) {
        logger.info("session ended by :quit", metadata: ["pid": "\(ghci.child.pid)"])
        state.withLock { state in
            guard state.process === ghci else { return }
            state.process = nil
            state.generation += 1
        }
        ghci.terminate()
        io.publish(.stream(name: "stdout", text: QuitCommand.notice(restSkipped: restSkipped)))
    }

    private func runChunks(_ job: ExecuteRequest, on ghci: GHCiProcess, io: ExecutionContext, watch: ChunkWatch?) -> ExecutionOutcome {
        var outcome = ExecutionOutcome.ok
        let chunks = CellSplitter.split(job.code)
        for (index, chunk) in chunks.enumerated() {
            if wasInterrupted() { return .interrupted(outcome) }
            if QuitCommand.matches(chunk) {
                outcome.chunksAfterQuit = chunks.count - index - 1
                return outcome
            }
            let input = ChunkInput.text(for: chunk, cell: job.executionCount, displays: configuration.displays)
            if input.isEmpty { continue }
            let report = ghci.run(input, reboot: ChunkInput.needsReboot(chunk), cellStart: outcome.lastChunk == nil,
                                  io: io, watch: watch)
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
                aborted.reply.evalue = "Interrupted. GHCi did not stop in time and was restarted: earlier definitions were lost."
                aborted.reply.traceback = ["\u{1b}[0;33mInterrupted\u{1b}[0m: \(aborted.reply.evalue)"]
                if !aborted.diagnostics.isEmpty { aborted.diagnostics[aborted.diagnostics.count - 1].message = aborted.reply.evalue }
                return aborted
            case .died(let how):
                replace(reason: how)
                var failed = ExecutionOutcome.failure(
                    ename: "restart-required",
                    evalue: "The Haskell session ended unexpectedly (\(how)). A fresh session was started: earlier definitions were lost.")
                failed.sessionRestarted = true
                failed.diagnostics = outcome.diagnostics + [CellDiagnostics.runtime(ename: failed.reply.ename, message: failed.reply.evalue, context)]
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

    /// Turns a breach into the cell's `resource-limit` error, saying whether the session
    /// was kept or replaced, and why.
    private func resourceLimit(_ breach: ResourceBreach, after partial: ExecutionOutcome, ghci: GHCiProcess, cell: Int) -> ExecutionOutcome {
        var outcome = ExecutionOutcome.failure(ename: "resource-limit", evalue: breach.message)
        outcome.diagnostics = partial.diagnostics.filter { $0.severity == .warning }
        outcome.usage = partial.usage
        outcome.breach = breach
        let recovery = recover(after: breach, partial: partial, ghci: ghci)
        outcome.sessionRestarted = recovery.restarted
        outcome.reply.evalue += ". " + recovery.sentence
        outcome.reply.traceback = ["\u{1b}[0;31mresource-limit\u{1b}[0m: \(outcome.reply.evalue)"]
        let chunk = partial.lastChunk ?? ChunkContext(cell: cell, startLine: 1, lineCount: 1)
        outcome.diagnostics.append(CellDiagnostics.runtime(ename: "resource-limit", message: outcome.reply.evalue, chunk))
        return outcome
    }

    /// Keeps the session only if the probe finds it fit; otherwise replaces it at once, so
    /// no later cell runs into what this one left behind.
    private func recover(after breach: ResourceBreach, partial: ExecutionOutcome, ghci: GHCiProcess) -> BreachRecovery {
        if partial.sessionRestarted {
            return .ended(why: partial.reply.ename == "restart-required" ? "GHCi ended at the limit" : "GHCi did not stop in time")
        }
        guard current() === ghci else { return .ended(why: "GHCi had been replaced") }
        guard let why = unfitness(of: ghci) else { return .kept }
        replace(reason: "the session \(why) after a \(breach.limit.rawValue) breach")
        return .replaced(why: why)
    }

    /// Probes the session: a major GC, then the heap's live bytes, run as a silent command.
    /// Returns why the session cannot be kept (`HealthProbe.verdict`), nil when it can.
    private func unfitness(of ghci: GHCiProcess) -> String? {
        guard ghci.isAlive else { return "ended" }
        var answered = false
        var live: Int?
        // GHC throws the heap overflow a GC finds to whatever runs next, and at most once per
        // `-Mgrace` of allocation: right after a breach a bare `performMajorGC` raised nothing
        // while the heap was still over its cap, and the next cell overflowed. So the live
        // bytes decide; a probe that raised gets a second try.
        for _ in 0..<2 where !answered {
            let probe = ghci.run(HealthProbe.command, io: .discard, capture: true, deadline: .now + HealthProbe.timeout)
            guard probe.ending == .completed else { break }
            answered = !probe.failed
            live = HealthProbe.liveBytes(in: probe.captured)
        }
        let sample = ghci.counters?.sample()
        return HealthProbe.verdict(answered: answered, liveBytes: live ?? sample?.memoryBytes, pids: sample?.pids,
                                   budget: configuration.budget)
    }
}

extension ExecutionOutcome {
    static func interrupted(_ partial: ExecutionOutcome) -> ExecutionOutcome {
        var outcome = partial
        outcome.reply.status = .aborted
        outcome.reply.ename = "Interrupted"
        outcome.reply.evalue = "Interrupted: the cell was stopped."
        outcome.reply.traceback = ["\u{1b}[0;33mInterrupted\u{1b}[0m: the cell was stopped; the rest of it did not run."]
        if let chunk = partial.lastChunk {
            outcome.diagnostics.append(CellDiagnostics.runtime(ename: "Interrupted", message: outcome.reply.evalue, chunk))
        }
        return outcome
    }
}
