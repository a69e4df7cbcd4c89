import ArgumentParser
import Foundation
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

    /// Parses, runs and reports failures in one `ghcbox: ...` line each; the usage of a
    /// subcommand follows only a mistake of usage (an unknown option, a missing argument).
    static func main() {
        let arguments = RunCommand.joiningParameterPairs(Array(CommandLine.arguments.dropFirst()))
        // `ghcbox --version`, or after a subcommand's name: ArgumentParser's own knows no GHC.
        if arguments.last == "--version" && arguments.count <= 2 {
            say(VersionLine.text())
            Foundation.exit(0)
        }
        let work: () throws -> Void
        do {
            var command = try parseAsRoot(arguments)
            work = { try command.run() }
        } catch {
            // A kernel must still answer, and say what is wrong, when its kernelspec's arguments are bad.
            guard exitCode(for: error) != .success,
                  let kernel = KernelCommand.refusing(arguments: arguments, because: message(for: error)) else {
                finish(parseError: error)
            }
            work = kernel
        }
        do {
            try work()
        } catch {
            finish(runError: error)
        }
        Foundation.exit(0)
    }

    private static func finish(parseError error: Error) -> Never {
        let text = fullMessage(for: error)
        let code = exitCode(for: error)
        if code == .success {
            say(text)
        } else {
            let prefix = "Error: "
            complain(text.hasPrefix(prefix) ? "ghcbox: " + text.dropFirst(prefix.count) : text)
        }
        Foundation.exit(code.rawValue)
    }

    private static func finish(runError error: Error) -> Never {
        switch error {
        case let exit as ExitCode:
            Foundation.exit(exit.rawValue)
        case let failure as CommandFailure:
            for line in failure.lines { complain("ghcbox: " + line) }
        case _ where exitCode(for: error) == .success:
            // Help and version requests, which ArgumentParser raises as errors, some from `run`.
            finish(parseError: error)
        default:
            let text = (error as? ValidationError)?.message ?? "\(error)"
            complain("ghcbox: " + text.split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        Foundation.exit(1)
    }
}
