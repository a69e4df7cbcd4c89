import ArgumentParser
import HaskellKernel

@main
struct Ghcbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ghcbox",
        abstract: "A sandboxed Haskell kernel for Jupyter.",
        discussion: "Start with `ghcbox install --user`, then pick \"Haskell (ghcbox)\" in JupyterLab or run `jupyter console --kernel ghcbox`.",
        version: GhcboxVersion.current,
        subcommands: [KernelCommand.self, LaunchCommand.self, InstallCommand.self, RunCommand.self, DoctorCommand.self, BudgetsCommand.self]
    )
}
