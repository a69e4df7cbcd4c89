import Foundation
import HaskellKernel
import JupyterWire
import Telemetry

/// What `ghcbox kernel` and `ghcbox launch` serve with, read from their flags and environment,
/// and every problem found there. A kernel with problems still serves its session, refusing
/// every cell and naming them.
struct KernelConfiguration {
    var settings: SessionSettings
    var maxMessageBytes: Int
    var logRoutes: [LogRoute]
    var metricsFile: String?
    var metricsPort: UInt16?
    /// One line per bad setting, naming it, its value and what is accepted.
    var problems: [String]

    static let maxMessage = WholeNumberSetting(flag: "--max-message-mb", variable: "GHCBOX_MAX_MESSAGE_MB", what: "max_message_mb",
                                               unit: "MB", accepted: 1...4096)

    init(_ command: ServingOptions, environment: [String: String]) {
        var problems: [String] = []
        logRoutes = command.telemetry.logRoutes(environment: environment, problems: &problems)
        let budget = BudgetOptions.budget(flags: command.budget.flags.merging(command.queue.flags) { given, _ in given },
                                          environment: environment, problems: &problems)
        command.sandbox.policy.check(problems: &problems)
        let megabytes = Self.maxMessage.value(flag: command.maxMessageMB, environment: environment, problems: &problems)
        maxMessageBytes = megabytes.map { $0 << 20 } ?? WireReader.defaultMaxMessageBytes
        metricsFile = command.telemetry.metricsFilePath(environment: environment)
        metricsPort = command.telemetry.metricsPortNumber(environment: environment, problems: &problems)
        settings = SessionSettings(toolchain: command.toolchain.toolchain, sandboxed: !command.sandbox.noSandbox,
                                   seccompPolicy: command.sandbox.policy.seccompPolicy, budget: budget)
        self.problems = problems
    }
}
