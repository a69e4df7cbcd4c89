import InterpreterAPI
import Logging
import Sandbox
import Testing
@testable import GHCiRuntime

/// A launcher whose jail never starts, as on a host without user namespaces.
private struct FailingLauncher: SessionLauncher {
    var isolation: String { "test jail" }
    func launch(executable: String, arguments: [String], environment: [String: String]) throws -> LaunchedGHCi {
        throw SandboxError(.spawn, errno: 1, detail: "clone")
    }
    func explain(launchFailure: Error) -> String? { "no user namespaces here (\(launchFailure)); Fix: enable them" }
}

@Test func aJailThatCannotStartRefusesTheCellAndSaysWhy() {
    let session = RuntimeSession(configuration: RuntimeConfiguration(), launcher: FailingLauncher(), logger: Logger(label: "test"))
    let outcome = session.execute(ExecuteRequest(code: "1 + 1", executionCount: 1), io: .discard)
    #expect(outcome.reply.status == .error)
    #expect(outcome.reply.ename == "sandbox-unavailable")
    #expect(outcome.reply.evalue.contains("Fix: enable them"))
}
