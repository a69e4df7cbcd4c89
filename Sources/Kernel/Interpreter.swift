import JSONValue
import JupyterWire

/// The seam between the protocol and the language: the kernel calls these,
/// the interpreter publishes what a cell produces through `ExecutionContext`.
/// `execute`, `complete`, `inspect` and `history`-free calls run on the shell
/// worker thread, one at a time; `interrupt` and `shutdown` come from control.
public protocol Interpreter: AnyObject, Sendable {
    var info: InterpreterInfo { get }
    func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome
    /// Work after a cell that must end before the next one but need not hold up its
    /// reply (wiping the jail's scratch): called once `idle` is out.
    func finishCell()
    func complete(code: String, cursorPos: Int) -> CompletionResult
    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> InspectionResult?
    func isComplete(code: String) -> CompletenessResult
    func interrupt()
    func shutdown(restart: Bool)
}

extension Interpreter {
    public func finishCell() {}
}

public struct InterpreterInfo: Sendable {
    public var implementation: String
    public var implementationVersion: String
    public var languageVersion: String
    public var banner: String

    public init(implementation: String, implementationVersion: String, languageVersion: String, banner: String) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.languageVersion = languageVersion
        self.banner = banner
    }
}

public struct ExecuteRequest: Sendable {
    public var code: String
    public var silent: Bool
    public var storeHistory: Bool
    public var allowStdin: Bool
    public var stopOnError: Bool
    /// The count this cell gets (the current count for silent requests).
    public var executionCount: Int

    public init(code: String, silent: Bool, storeHistory: Bool, allowStdin: Bool, stopOnError: Bool, executionCount: Int) {
        self.code = code
        self.silent = silent
        self.storeHistory = storeHistory
        self.allowStdin = allowStdin
        self.stopOnError = stopOnError
        self.executionCount = executionCount
    }
}

/// What a running cell hands to the client.
public enum KernelOutput: Sendable, Equatable {
    case stream(name: String, text: String)
    case executeResult(data: [String: JSON])
    case displayData(data: [String: JSON])
    case error(ename: String, evalue: String, traceback: [String])
}

public enum InputResult: Sendable, Equatable {
    case text(String)
    /// The client said it takes no input (`allow_stdin: false`).
    case notAllowed
    /// The cell was interrupted while waiting.
    case cancelled
}

public struct ExecutionContext: Sendable {
    public let publish: @Sendable (KernelOutput) -> Void
    public let requestInput: @Sendable (_ prompt: String, _ password: Bool) -> InputResult
    /// Called when the cell is under way: its code has gone to the language runtime, or the
    /// runtime is being started for it. The kernel publishes `busy` and `execute_input` then,
    /// while the runtime works. It may be called more than once.
    public let underway: @Sendable () -> Void

    public init(publish: @escaping @Sendable (KernelOutput) -> Void,
                requestInput: @escaping @Sendable (_ prompt: String, _ password: Bool) -> InputResult,
                underway: @escaping @Sendable () -> Void = {}) {
        self.publish = publish
        self.requestInput = requestInput
        self.underway = underway
    }
}

public struct ExecuteOutcome: Sendable {
    public enum Status: String, Sendable { case ok, error, aborted }
    public var status: Status
    public var ename = ""
    public var evalue = ""
    public var traceback: [String] = []
    /// Extra reply content (e.g. `diagnostics`).
    public var extraContent: [String: JSON] = [:]
    /// Reply metadata (e.g. the sandbox in use).
    public var metadata: [String: JSON] = [:]

    public init(status: Status) { self.status = status }
}

public struct CompletionResult: Sendable {
    public var matches: [String]
    public var cursorStart: Int
    public var cursorEnd: Int
    public init(matches: [String], cursorStart: Int, cursorEnd: Int) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
    }
}

public struct InspectionResult: Sendable {
    public var data: [String: JSON]
    public init(data: [String: JSON]) { self.data = data }
}

public enum CompletenessResult: Sendable, Equatable {
    case complete
    case incomplete(indent: String)
    case invalid
    case unknown
}
