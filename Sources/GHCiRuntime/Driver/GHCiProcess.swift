import InterpreterAPI
import JSONValue
import Foundation
import Sandbox
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// One running GHCi and the two threads that read its stdout and stderr.
///
/// `run` sends a chunk as one batch on the command pipe and blocks until both
/// streams have shown the session's done frame (or GHCi died, or the deadline
/// passed). Output is handed to the chunk's `ExecutionContext` while it runs.
public final class GHCiProcess: @unchecked Sendable {
    // @unchecked: the mutable state below is read and written only with `state` locked.
    public let child: ChildProcess
    /// The session's cgroup counters, if it has a cgroup.
    public let counters: SessionCounters?
    private let release: @Sendable () -> Void
    let boot: BootScript
    private let state = Condition()

    // Guarded by `state`.
    private var io = ExecutionContext.discard
    private var capture = false
    private var report = ChunkReport()
    private var stdoutDone = false
    private var stderrDone = false
    private var stdoutEOF = false
    private var stderrEOF = false
    private var abandonAt: ContinuousClock.Instant?
    private var terminated = false
    /// The running chunk's token: only a done frame that carries it ends the chunk (any
    /// other, forged by a cell or left from an earlier chunk, ends nothing).
    private var token = ""

    init(launched: LaunchedGHCi, boot: BootScript) {
        self.child = launched.child
        self.counters = launched.counters
        self.release = launched.release
        self.boot = boot
    }

    /// Starts GHCi through the launcher and waits until the boot script has run.
    public static func start(
        launcher: SessionLauncher, executable: String, arguments: [String],
        environment: [String: String], tag: SessionTag = .random(), timeout: Duration = .seconds(60),
        messageLimit: Int = 64 << 20
    ) throws -> GHCiProcess {
        let launched = try launcher.launch(executable: executable, arguments: arguments, environment: environment)
        let child = launched.child
        let process = GHCiProcess(launched: launched, boot: BootScript(tag: tag, messageLimit: messageLimit))
        process.startReaders()
        let token = process.beginChunk(io: .discard, capture: false)
        do {
            try child.stdinFD.writeAll(process.boot.initialInput.utf8)
            try child.commandFD.writeAll(process.boot.firstBatch(token: token).utf8)
        } catch {
            process.terminate()
            throw error
        }
        let booted = process.waitForChunk(deadline: .now + timeout)
        guard booted.ending == .completed, !booted.compileFailed, booted.exceptionReport == nil else {
            process.terminate()
            throw RuntimeError(.boot, detail: "GHCi did not start (\(booted.ending)): \(booted.compileReport)\(booted.exceptionReport ?? "")")
        }
        return process
    }

    /// Runs one GHCi input (a chunk, already wrapped in `:{ :}` if multi-line).
    /// `reboot` re-makes the runtime's definitions after it (for `:load`, `:module`, ...);
    /// `cellStart` says it is a cell's first chunk. `watch` runs on the calling thread while it waits.
    /// `line` follows the batch on the command pipe, for the chunk to read (`GhcboxRuntime.readIncoming`).
    public func run(_ input: String, reboot: Bool = false, cellStart: Bool = false, io: ExecutionContext, capture: Bool = false,
                    deadline: ContinuousClock.Instant? = nil, watch: ChunkWatch? = nil, line: String? = nil) -> ChunkReport {
        let token = beginChunk(io: io, capture: capture)
        do {
            var batch = boot.batch(for: input, reboot: reboot, cellStart: cellStart, token: token)
            if let line { batch += line + "\n" }
            try child.commandFD.writeAll(batch.utf8)
        } catch {
            return ChunkReport(ending: .died("GHCi stopped reading commands (\(error))"))
        }
        io.underway()
        return waitForChunk(deadline: deadline, watch: watch)
    }

    /// Sends SIGINT; if the chunk has not ended `grace` later, `run` gives up with `.timedOut`.
    /// Only the first interrupt of a chunk signals: several SIGINTs close together (a client
    /// that repeats its interrupt) ended GHCi now and then in tests (exit status 130), and a
    /// second SIGINT makes GHCi give up waiting for a statement that caught the first: the
    /// reply then says "stopped" while the statement runs on, detached (seen with a
    /// CPU-bound loop that catches `SomeException`, which went on using a whole core).
    public func interrupt(grace: Duration) {
        let first = state.withLock { () -> Bool in
            guard abandonAt == nil else { return false }
            abandonAt = .now + grace
            state.broadcast()
            return true
        }
        if first { child.signal(SIGINT) }
    }

    /// Answers the cell's pending stdin read.
    func answerInput(_ answer: InputResult) {
        switch answer {
        case .text(let line):
            _ = try? child.stdinFD.writeAll((line + "\n").utf8)
            _ = try? child.commandFD.writeAll("ok\n".utf8)
        case .notAllowed:
            // The cell's read fails with this line as its IOError.
            let why = "stdin is not available: this client does not accept input (allow_stdin is false)"
            _ = try? child.commandFD.writeAll((why + "\n").utf8)
        case .cancelled:
            break
        }
    }

    /// Kills GHCi (and with it the jail), reaps it and closes the pipes.
    public func terminate() {
        let first = state.withLock { () -> Bool in
            defer { terminated = true }
            return !terminated
        }
        guard first else { return }
        child.signal(SIGKILL)
        child.wait()
        // The readers close their own ends when they see end of file.
        try? child.stdinFD.close()
        try? child.commandFD.close()
        let until = ContinuousClock.now + .seconds(1)
        state.lock()
        while !(stdoutEOF && stderrEOF) && state.wait(until: until) {}
        state.unlock()
        release()
    }

    public var isAlive: Bool { child.poll() == nil }

    // MARK: - chunk bookkeeping

    /// Resets the bookkeeping for a new chunk; returns the token its done frame must carry.
    private func beginChunk(io: ExecutionContext, capture: Bool) -> String {
        let token = SessionTag.chunkToken()
        state.lock()
        self.token = token
        self.io = io
        self.capture = capture
        report = ChunkReport()
        stdoutDone = false
        stderrDone = false
        abandonAt = nil
        state.unlock()
        return token
    }

    private func endsChunk(_ frame: String) -> Bool {
        state.withLock { frame == BootScript.doneFrame(token: token) }
    }

    private func waitForChunk(deadline: ContinuousClock.Instant?, watch: ChunkWatch? = nil) -> ChunkReport {
        var nextCheck = watch.map { ContinuousClock.now + $0.interval }
        state.lock()
        defer { state.unlock() }
        while !(stdoutDone && stderrDone) {
            if stdoutEOF && stderrEOF {
                state.unlock()
                let status = child.wait()
                state.lock()
                report.ending = .died("GHCi \(status)")
                report.sortReports()
                return report
            }
            if let watch, let due = nextCheck, ContinuousClock.now >= due {
                // Unlocked: a check that finds a breach interrupts, which takes the lock.
                state.unlock()
                watch.check()
                state.lock()
                nextCheck = .now + watch.interval
                continue
            }
            if let limit = [deadline, abandonAt].compactMap({ $0 }).min(), limit <= ContinuousClock.now {
                report.ending = .timedOut
                report.sortReports()
                return report
            }
            if let wakeAt = [deadline, abandonAt, nextCheck].compactMap({ $0 }).min() {
                state.wait(until: wakeAt)
            } else {
                state.wait()
            }
        }
        report.sortReports()
        return report
    }

    /// A SIGINT that reaches GHCi just outside the step macro (after a chunk, before the macro
    /// masks; or after the macro returned a batch, before GHCi queued it) drops GHCi out of the
    /// macro: it reads its next command from stdin, which asks for input. Once this chunk was
    /// interrupted, that request is answered with the step macro for the chunk's token, which
    /// ends the chunk and goes back to the command pipe. (A cell that catches the interrupt and
    /// then reads stdin gets that line too.) Seen about once in 300 interrupts under load.
    private func resumeAfterInterrupt() -> String? {
        state.withLock { abandonAt == nil ? nil : ":\(boot.stepCommand) \(token)" }
    }

    /// One stream has shown the done frame. The waiter is woken when both have: woken by
    /// the first, it would find the chunk unfinished and sleep again, a wasted switch.
    private func markDone(_ stream: ReferenceWritableKeyPath<GHCiProcess, Bool>) {
        state.lock()
        self[keyPath: stream] = true
        if stdoutDone && stderrDone { state.broadcast() }
        state.unlock()
    }

    private func currentIO() -> (ExecutionContext, Bool) {
        state.lock()
        defer { state.unlock() }
        return (io, capture)
    }

    private func update(_ body: (inout ChunkReport) -> Void) {
        state.lock()
        body(&report)
        state.unlock()
    }

    // MARK: - readers

    private func startReaders() {
        let stdoutThread = Thread { [self] in readStdout() }
        stdoutThread.name = "ghci-stdout"
        stdoutThread.start()
        let stderrThread = Thread { [self] in readStderr() }
        stderrThread.name = "ghci-stderr"
        stderrThread.start()
    }

    /// Reads `fd` until end of file, calling `handle` with each read (nil on a timeout tick)
    /// so coalesced output can leave when due.
    private func pump(_ fd: FileDescriptor, nextTick: () -> Duration?, handle: ([UInt8]?) -> Void) {
        while true {
            // A failed poll falls through to the read, which reports the failure as the end.
            let ready = (try? fd.waitUntilReadable(timeout: nextTick())) ?? true
            if !ready { handle(nil); continue }
            guard let bytes = try? fd.readAvailable(), !bytes.isEmpty else { return }
            handle(bytes)
        }
    }

    private func readStdout() {
        var scanner = FrameScanner(tag: boot.tag)
        var out = Coalescer()
        var result: [UInt8]? = nil
        let resultLimit = 1 << 20
        var message = MessageFrame(limit: boot.messageLimit)
        var ghci = GHCiStdout()

        func emit(force: Bool) {
            guard let text = out.take(now: .now, force: force) else { return }
            let (io, capture) = currentIO()
            if capture { update { $0.captured += text } } else { io.publish(.stream(name: "stdout", text: text)) }
        }

        func deliver(_ output: Result<KernelOutput, RuntimeMessage.Refusal>) {
            emit(force: true)
            switch output {
            case .success(let output): currentIO().0.publish(output)
            case .failure(let refusal): currentIO().0.publish(.stream(name: "stderr", text: refusal.note))
            }
        }

        pump(child.stdoutFD, nextTick: { out.due(now: .now) }) { bytes in
            guard let bytes else { emit(force: false); return }
            for piece in scanner.feed(bytes) {
                switch piece {
                case .text(let text) where message.isOpen:
                    message.append(text)
                case .text(let text) where ghci.isOpen && result == nil:
                    ghci.take(text, output: &out) { failure in update { $0.reports.appendError(failure) } }
                case .text(let text):
                    if result != nil {
                        result! += text
                        // A huge or endless value (`[1..]`) streams instead of piling up.
                        if result!.count > resultLimit { out.append(result!); result = nil }
                    } else {
                        out.append(text)
                    }
                case .frame("{"):
                    ghci.isOpen = true
                case .frame("}"):
                    ghci.close(output: &out)
                case .frame("result{"):
                    emit(force: true)
                    result = []
                case .frame("result}"):
                    if var value = result {
                        if value.last == 0x0a { value.removeLast() }
                        let (io, capture) = currentIO()
                        let text = String(decoding: value, as: UTF8.self)
                        if capture { update { $0.captured += text + "\n" } } else { io.publish(.executeResult(data: ["text/plain": .string(text)])) }
                    }
                    result = nil
                case .frame("message{"):
                    message.open()
                case .frame("message}"):
                    if let output = message.close() { deliver(output) }
                case .frame("input"):
                    emit(force: true)
                    if let resume = resumeAfterInterrupt() {
                        answerInput(.text(resume))
                    } else {
                        let (io, _) = currentIO()
                        answerInput(io.requestInput("", false))
                    }
                case .frame(let name) where endsChunk(name):
                    // A value whose `show` threw halfway: what it printed is still output.
                    if let partial = result { out.append(partial); result = nil }
                    if let cut = message.abandon() { deliver(cut) }
                    ghci.close(output: &out)
                    emit(force: true)
                    markDone(\.stdoutDone)
                case .frame:
                    break
                }
            }
            if out.due(now: .now) == .zero { emit(force: false) }
        }
        out.append(scanner.drain())
        emit(force: true)
        try? child.stdoutFD.close()
        state.lock()
        stdoutEOF = true
        state.broadcast()
        state.unlock()
    }

    private func readStderr() {
        var scanner = FrameScanner(tag: boot.tag)
        var out = Coalescer()
        var inGHCi = false

        func emit(force: Bool) {
            guard let text = out.take(now: .now, force: force) else { return }
            currentIO().0.publish(.stream(name: "stderr", text: text))
        }

        pump(child.stderrFD, nextTick: { out.due(now: .now) }) { bytes in
            guard let bytes else { emit(force: false); return }
            for piece in scanner.feed(bytes) {
                switch piece {
                case .text(let text) where inGHCi:
                    update { $0.reports.append(text) }
                case .text(let text):
                    out.append(text)
                case .frame("{"):
                    inGHCi = true
                case .frame("}"):
                    inGHCi = false
                case .frame(let name) where endsChunk(name):
                    inGHCi = false
                    emit(force: true)
                    markDone(\.stderrDone)
                case .frame:
                    break
                }
            }
            if out.due(now: .now) == .zero { emit(force: false) }
        }
        out.append(scanner.drain())
        emit(force: true)
        try? child.stderrFD.close()
        state.lock()
        stderrEOF = true
        state.broadcast()
        state.unlock()
    }
}
