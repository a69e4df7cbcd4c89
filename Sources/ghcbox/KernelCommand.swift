import ArgumentParser
import Foundation
import JupyterWire
import Logging

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Serve one Jupyter session (what the kernelspec runs).",
        discussion: "A bad setting (flag, GHCBOX_* variable or budgets.conf line) does not stop the kernel: it answers, names the problem in its banner and refuses every cell with `configuration-error`.")

    @Option(name: .customLong("connection-file"), help: "The connection file Jupyter wrote. Without it, the ports and key come from GHCBOX_SHELL_PORT, GHCBOX_IOPUB_PORT, GHCBOX_STDIN_PORT, GHCBOX_CONTROL_PORT, GHCBOX_HB_PORT, GHCBOX_KEY and GHCBOX_IP (default 0.0.0.0).")
    var connectionFile: String?

    @Flag(name: .customLong("check-config"), help: "Print every problem in the flags, GHCBOX_* variables and budgets.conf, and exit (1 if there is one) without serving.")
    var checkConfig = false

    @Option(name: .customLong("switch-user"), help: ArgumentHelp("Become UID:GID once the connection file is read, before serving (for a container started as root so that it can read Jupyter's root-owned file).", valueName: "uid:gid"))
    var switchUser: String?

    @OptionGroup var serving: ServingOptions

    func validate() throws {
        if connectionFile == nil && !checkConfig && !EnvironmentConnection.isGiven(ProcessInfo.processInfo.environment) {
            throw ValidationError(EnvironmentConnection.needed)
        }
    }

    func run() throws {
        try serve(argumentProblems: [])
    }

    /// A kernel whose arguments could not be parsed, when they still name a connection file:
    /// it serves the session and refuses every cell with `problem`, since a kernelspec's
    /// mistake must reach the notebook.
    static func refusing(arguments: [String], because problem: String) -> (() throws -> Void)? {
        guard arguments.first == "kernel", !arguments.contains("--check-config"),
              let path = connectionFileArgument(in: arguments),
              let fallback = try? KernelCommand.parse(["--connection-file", path]) else { return nil }
        return { try fallback.serve(argumentProblems: ["the arguments of `ghcbox kernel`: \(problem)"]) }
    }

    private static func connectionFileArgument(in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == "--connection-file", index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix("--connection-file=") { return String(argument.dropFirst("--connection-file=".count)) }
        }
        return nil
    }

    private func serve(argumentProblems: [String]) throws {
        var configuration = KernelConfiguration(serving, environment: ProcessInfo.processInfo.environment)
        configuration.problems = argumentProblems + configuration.problems
        if checkConfig {
            guard configuration.problems.isEmpty else { throw CommandFailure(lines: configuration.problems) }
            say("The configuration is valid.")
            return
        }
        let connection: ConnectionInfo
        let source: Logger.Metadata
        if let path = connectionFile {
            (connection, source) = (try Self.connection(in: path), ["connection_file": "\(path)"])
        } else if let fromEnvironment = try EnvironmentConnection.read(ProcessInfo.processInfo.environment) {
            (connection, source) = (fromEnvironment, ["connection": "GHCBOX_* variables"])
        } else {
            throw CommandFailure(EnvironmentConnection.needed)
        }
        if let switchUser { try UserSwitch.become(switchUser) }
        try KernelHost.serve(connection: connection, configuration: configuration, readyMetadata: source)
    }

    /// A connection file that cannot be used ends the kernel: there is no one to tell.
    private static func connection(in path: String) throws -> ConnectionInfo {
        do {
            return try ConnectionInfo.parse(try FileAccess.read(path, what: "connection file"))
        } catch let error as WireError {
            throw CommandFailure("connection file \(path): \(error)")
        }
    }
}
