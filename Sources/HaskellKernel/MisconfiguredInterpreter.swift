import GHCiRuntime
import InterpreterAPI
import JSONValue

/// The interpreter of a kernel started with a bad configuration (a budget, the seccomp policy,
/// the log level, ...): it answers `kernel_info` with a banner naming every problem and refuses
/// every cell with `configuration-error`, so the notebook shows what to fix instead of the kernel
/// dying before it can speak. No GHCi is started.
public final class MisconfiguredInterpreter: Interpreter, Sendable {
    public static let ename = "configuration-error"

    /// One line per bad setting, naming it, the value given and what is accepted.
    public let problems: [String]
    public let info: InterpreterInfo

    public init(problems: [String], ghcVersion: String) {
        self.problems = problems
        let banner = "ghcbox \(GhcboxVersion.current): Haskell (GHC \(ghcVersion)) for Jupyter\n"
            + "Configuration error: no cell runs until this is fixed and the kernel restarted:\n"
            + problems.map { "  - " + $0 }.joined(separator: "\n")
        info = InterpreterInfo(
            implementation: "ghcbox", implementationVersion: GhcboxVersion.current,
            languageInfo: HaskellLanguage.languageInfo(ghcVersion: ghcVersion), banner: banner,
            helpLinks: HaskellLanguage.helpLinks)
    }

    /// Where the fix goes, said after the problems.
    static let fix = "Fix the kernelspec's arguments (kernel.json) or the kernel's environment, then restart the kernel; "
        + "`ghcbox kernel --check-config` lists the problems."

    public func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome {
        var refusal = ExecuteOutcome.failure(
            ename: Self.ename,
            evalue: "The kernel's configuration is invalid, so no code runs: \(problems.joined(separator: "; ")). \(Self.fix)")
        refusal.traceback = ["\u{1b}[0;31m\(Self.ename)\u{1b}[0m: the kernel's configuration is invalid, so no code runs:"]
            + problems.map { "  - " + $0 } + [Self.fix]
        return refusal
    }

    public func complete(code: String, cursorPos: Int) -> CompletionResult {
        CompletionResult(matches: [], cursorStart: cursorPos, cursorEnd: cursorPos)
    }

    public func inspect(code: String, cursorPos: Int, detailLevel: Int) -> InspectionResult? { nil }

    public func isComplete(code: String) -> CompletenessResult { CompletenessChecker.check(code) }

    public func interrupt() {}

    public func shutdown(restart: Bool) {}
}
