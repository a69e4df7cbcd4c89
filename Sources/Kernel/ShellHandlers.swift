import InterpreterAPI
import JSONValue
import Foundation
import JupyterWire

/// The shell channel: requests are queued and served one at a time on the worker thread.
extension KernelCore {
    func enqueueShell(_ message: Message) {
        if message.header.msgType == "execute_request" && queue.count >= queueDepth {
            let refusal = interpreter.queueFull(depth: queueDepth)
            busy(message) {
                show(refusal, for: message, count: executionCount)
                return answer(message, type: "execute_reply", content: replyContent(refusal, count: executionCount), on: .shell)
            }
            observer?.queueRejected()
            return
        }
        queue.push(message)
        observer?.queueDepthChanged(queue.count)
    }

    func runShellWorker() {
        while true {
            let message = queue.pop()
            observer?.queueDepthChanged(queue.count)
            guard message.header.msgType == "execute_request" else {
                busy(message) { handleShell(message) }
                continue
            }
            var abandoned = Abandoned()
            busyCell(message) { opening in handleExecute(message, opening: opening, abandoned: &abandoned) }
            abort(abandoned)
            interpreter.finishCell()
        }
    }

    /// Serves one shell request other than a cell and returns the message that ends it (its
    /// reply, or the `comm_close` for a `comm_open`).
    private func handleShell(_ message: Message) -> Outgoing? {
        switch message.header.msgType {
        case "kernel_info_request": return answer(message, type: "kernel_info_reply", content: kernelInfo(), on: .shell)
        case "is_complete_request": return handleIsComplete(message)
        case "complete_request": return handleComplete(message)
        case "inspect_request": return handleInspect(message)
        case "history_request": return handleHistory(message)
        case "comm_info_request": return handleCommInfo(message)
        case "comm_open", "comm_msg", "comm_close": return handleComm(message)
        default: return answerUnknown(message, on: .shell)
        }
    }

    /// The queued execute requests a failed cell abandons (`stop_on_error`), and their answer.
    private struct Abandoned {
        var requests: [Message] = []
        var outcome = ExecuteOutcome.ok
    }

    /// Runs a cell and returns its reply. A failed cell also names the queued execute requests
    /// that `stop_on_error` abandons; they are answered after its `idle`.
    private func handleExecute(_ message: Message, opening: OpeningMessages, abandoned: inout Abandoned) -> Outgoing {
        let content = message.content
        guard let code = content["code"]?.stringValue else {
            let refusal = ExecuteOutcome.failure(ename: "BadRequest", evalue: "execute_request has no 'code' string")
            opening.flush()
            show(refusal, for: message, count: executionCount)
            return answer(message, type: "execute_reply", content: replyContent(refusal, count: executionCount), on: .shell)
        }
        let silent = isSilent(message)
        let storeHistory = (content["store_history"]?.boolValue ?? true) && !silent
        let request = ExecuteRequest(
            code: code, silent: silent, storeHistory: storeHistory,
            allowStdin: content["allow_stdin"]?.boolValue ?? true,
            stopOnError: content["stop_on_error"]?.boolValue ?? true,
            executionCount: storeHistory ? executionCount + 1 : executionCount)
        if storeHistory {
            record.withLock { record in
                record.executionCount += 1
                record.history.record(code, line: request.executionCount)
            }
        }
        if !silent {
            opening.add(event("execute_input", content: ["code": .string(code), "execution_count": .int(request.executionCount)], parent: message))
        }
        let context = ExecutionContext(
            publish: { [self] output in
                guard !silent else { return }
                opening.flush()
                if storeHistory, case .executeResult(let data, _) = output, let text = data["text/plain"]?.stringValue {
                    record.withLock { $0.history.recordOutput(text, line: request.executionCount) }
                }
                publishOutput(output, count: request.executionCount, parent: message)
            },
            requestInput: { [self] prompt, password in
                guard request.allowStdin else { return .notAllowed }
                opening.flush()
                return input.ask {
                    reply(to: message, type: "input_request", content: ["prompt": .string(prompt), "password": .bool(password)], on: .stdin)
                }
            },
            underway: { opening.flush() })
        let outcome = interpreter.execute(request, context: context)
        // `busy` and `execute_input` lead the error output.
        if outcome.status != .ok { opening.flush() }
        show(outcome, for: message, count: request.executionCount)
        closeCommsOfEndedSession(parent: message)
        // Take the cells to abort before replying: a request the client sends after seeing
        // this reply must run, not be caught in the abort.
        if outcome.status != .ok && request.stopOnError {
            abandoned = Abandoned(requests: queue.drainExecuteRequests(), outcome: .notRun(after: outcome))
        }
        return answer(message, type: "execute_reply", content: replyContent(outcome, count: request.executionCount),
                      metadata: outcome.metadata, on: .shell)
    }

    /// An `execute_reply`'s content: status and count, the error's fields, then the interpreter's extras.
    func replyContent(_ outcome: ExecuteOutcome, count: Int) -> [String: JSON] {
        var content: [String: JSON] = ["status": .string(outcome.status.rawValue), "execution_count": .int(count)]
        switch outcome.status {
        case .ok:
            content["user_expressions"] = [:]
            content["payload"] = []
        case .error, .aborted:
            content["ename"] = .string(outcome.ename)
            content["evalue"] = .string(outcome.evalue)
            content["traceback"] = .array(outcome.traceback.map { .string($0) })
        }
        content.merge(outcome.extraContent) { _, extra in extra }
        return content
    }

    /// `stop_on_error`: cells queued behind a failed one are answered `aborted`, not run, and
    /// show why.
    private func abort(_ abandoned: Abandoned) {
        guard !abandoned.requests.isEmpty else { return }
        for queued in abandoned.requests {
            busy(queued) {
                show(abandoned.outcome, for: queued, count: executionCount)
                return answer(queued, type: "execute_reply", content: replyContent(abandoned.outcome, count: executionCount), on: .shell)
            }
        }
        observer?.queueDepthChanged(queue.count)
    }

    /// Publishes the `error` output of an outcome other than `ok`, unless the request is silent:
    /// frontends show iopub, not the reply.
    private func show(_ outcome: ExecuteOutcome, for request: Message, count: Int) {
        guard !isSilent(request), let output = outcome.errorOutput else { return }
        publishOutput(output, count: count, parent: request)
    }

    private func isSilent(_ request: Message) -> Bool {
        request.content["silent"]?.boolValue ?? false
    }

    /// Sends an output on iopub; comm traffic also updates the open comms.
    func publishOutput(_ output: KernelOutput, count: Int, parent: Message) {
        guard case .comm(let message) = output else {
            publish(output.messageType, content: output.content(executionCount: count), parent: parent)
            return
        }
        comms.withLock { $0.note(message) }
        send([event(output.messageType, content: message.content, parent: parent, metadata: message.metadata, buffers: message.buffers)])
    }

    private func handleIsComplete(_ message: Message) -> Outgoing {
        let code = message.content["code"]?.stringValue ?? ""
        var content: [String: JSON]
        switch interpreter.isComplete(code: code) {
        case .complete: content = ["status": "complete"]
        case .incomplete(let indent): content = ["status": "incomplete", "indent": .string(indent)]
        case .invalid: content = ["status": "invalid"]
        case .unknown: content = ["status": "unknown"]
        }
        return answer(message, type: "is_complete_reply", content: content, on: .shell)
    }

    private func handleComplete(_ message: Message) -> Outgoing {
        let code = message.content["code"]?.stringValue ?? ""
        let cursor = message.content["cursor_pos"]?.intValue ?? code.unicodeScalars.count
        let result = interpreter.complete(code: code, cursorPos: cursor)
        return answer(message, type: "complete_reply", content: [
            "status": "ok", "matches": .array(result.matches.map { .string($0) }),
            "cursor_start": .int(result.cursorStart), "cursor_end": .int(result.cursorEnd), "metadata": [:],
        ], on: .shell)
    }

    private func handleInspect(_ message: Message) -> Outgoing {
        let code = message.content["code"]?.stringValue ?? ""
        let cursor = message.content["cursor_pos"]?.intValue ?? code.unicodeScalars.count
        let level = message.content["detail_level"]?.intValue ?? 0
        let result = interpreter.inspect(code: code, cursorPos: cursor, detailLevel: level)
        return answer(message, type: "inspect_reply", content: [
            "status": "ok", "found": .bool(result != nil), "data": .object(result?.data ?? [:]), "metadata": [:],
        ], on: .shell)
    }

    private func handleHistory(_ message: Message) -> Outgoing {
        let c = message.content
        let history = record.withLock { $0.history }
        let entries: [History.Entry]
        switch c["hist_access_type"]?.stringValue ?? "tail" {
        case "range":
            entries = history.range(session: c["session"]?.intValue ?? 0, start: c["start"]?.intValue ?? 0, stop: c["stop"]?.intValue)
        case "search":
            entries = history.search(pattern: c["pattern"]?.stringValue ?? "*", n: c["n"]?.intValue, unique: c["unique"]?.boolValue ?? false)
        default:
            entries = history.tail(c["n"]?.intValue ?? 10)
        }
        let withOutput = c["output"]?.boolValue ?? false
        return answer(message, type: "history_reply", content: [
            "status": "ok",
            "history": .array(entries.map { entry in
                let input: JSON = .string(entry.input)
                return [.int(entry.session), .int(entry.line), withOutput ? [input, entry.output.map(JSON.string) ?? .null] : input]
            }),
        ], on: .shell)
    }
}
