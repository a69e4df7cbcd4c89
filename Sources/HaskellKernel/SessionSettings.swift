import GHCiRuntime
import Sandbox

/// How a kernel's Haskell sessions are made, as the command line and environment decided it.
public struct SessionSettings: Sendable {
    public var toolchain: GHCToolchain
    /// False only with `--no-sandbox`, for development: GHCi then runs unjailed.
    public var sandboxed: Bool
    /// The seccomp policy file; nil for the installation's `sandbox/seccomp.policy`.
    public var seccompPolicy: String?
    public var budget: ResourceBudget

    public init(toolchain: GHCToolchain, sandboxed: Bool = true, seccompPolicy: String? = nil,
                budget: ResourceBudget = .builtIn) {
        self.toolchain = toolchain
        self.sandboxed = sandboxed
        self.seccompPolicy = seccompPolicy
        self.budget = budget
    }

    /// The policy file in force: the one given, else the installation's.
    public func policyPath() throws -> String {
        if let seccompPolicy { return seccompPolicy }
        return try ResourceLocator.find("sandbox", containing: "seccomp.policy") + "/seccomp.policy"
    }
}
