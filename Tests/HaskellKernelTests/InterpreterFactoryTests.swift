import GHCiRuntime
import HaskellKernel
import InterpreterAPI
import Logging
import Testing

/// The factory never falls back to running unsandboxed: what it cannot build, it names in every reply.
@Suite struct InterpreterFactoryTests {
    @Test func aMissingSeccompPolicyRefusesEveryCellAndSaysWhy() throws {
        let ghci = try #require(testGHCi, "ghci is not installed: run ci/setup")
        let settings = SessionSettings(toolchain: GHCToolchain(ghci: ghci), seccompPolicy: "/nonexistent/seccomp.policy")
        let interpreter = InterpreterFactory.make(settings, logger: Logger(label: "test"))
        #expect(interpreter.blockedReason?.contains("The sandbox cannot be built on this host") == true)
        let outcome = interpreter.execute(ExecuteRequest(code: "1 + 1", executionCount: 1), context: .discard)
        #expect(outcome.status == .error)
        #expect(outcome.ename == "sandbox-unavailable")
        #expect(outcome.evalue.contains("/nonexistent/seccomp.policy"), "\(outcome.evalue)")
        #expect(outcome.metadata["sandbox"] != nil)
    }

    @Test func aMissingGHCRefusesEveryCellNamingTheTools() {
        let settings = SessionSettings(toolchain: GHCToolchain(ghci: "/nonexistent/bin/ghci"))
        let interpreter = InterpreterFactory.make(settings, logger: Logger(label: "test"))
        let reason = interpreter.blockedReason ?? ""
        #expect(reason.contains("The runtime package cannot be prepared"), "\(reason)")
        #expect(reason.contains("/nonexistent/bin/ghc-pkg"), "\(reason)")
        #expect(interpreter.execute(ExecuteRequest(code: "1", executionCount: 1), context: .discard).ename == "sandbox-unavailable")
    }
}
