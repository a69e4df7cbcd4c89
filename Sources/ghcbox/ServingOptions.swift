import ArgumentParser

/// The options of a command that serves a kernel session (`kernel`, `launch`): GHC, the
/// sandbox, budgets, the message limit, metrics and logs.
struct ServingOptions: ParsableArguments {
    @OptionGroup(title: "GHC") var toolchain: ToolchainOptions
    @OptionGroup(title: "Sandbox") var sandbox: SandboxOptions
    @OptionGroup(title: "Budgets") var budget: BudgetOptions
    @OptionGroup(title: "Budgets") var queue: QueueDepthOption

    @Option(name: .customLong("max-message-mb"), parsing: .unconditional, help: "Largest message the kernel reads from a client, in MB (env GHCBOX_MAX_MESSAGE_MB; default 64).")
    var maxMessageMB: SettingText?

    @OptionGroup(title: "Metrics and logs") var telemetry: TelemetryOptions
}
