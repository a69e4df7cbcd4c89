import ArgumentParser
import Foundation
import GHCiRuntime
import HaskellKernel
import JupyterWire
import Sandbox

/// Options shared by `kernel`, `run` and `doctor`: how sessions are made.
struct SessionOptions: ParsableArguments {
    @Flag(name: .customLong("no-sandbox"), help: "Run GHCi without the jail (development only; the banner and every reply say so).")
    var noSandbox = false

    @Option(help: "The ghci executable; ghc and ghc-pkg are taken from its folder.")
    var ghci = "/usr/bin/ghci"

    @Option(name: .customLong("seccomp-policy"), help: "The seccomp policy file (default: sandbox/seccomp.policy of this installation).")
    var seccompPolicy: String?

    @Option(name: .customLong("memory-mb"), help: help(.memoryMB)) var memoryMB: Int?
    @Option(name: .customLong("cpu-seconds"), help: help(.cpuSeconds)) var cpuSeconds: Int?
    @Option(name: .customLong("wall-seconds"), help: help(.wallSeconds)) var wallSeconds: Int?
    @Option(help: help(.pids)) var pids: Int?
    @Option(name: .customLong("scratch-mb"), help: help(.scratchMB)) var scratchMB: Int?
    @Option(name: .customLong("queue-depth"), help: help(.queueDepth)) var queueDepth: Int?
    @Option(name: .customLong("output-mb"), help: help(.outputMB)) var outputMB: Int?
    @Option(help: help(.cpus)) var cpus: Int?

    @Option(name: .customLong("max-message-mb"), help: "Largest message the kernel reads from a client, in MB (env GHCBOX_MAX_MESSAGE_MB; default 64).")
    var maxMessageMB: Int?

    private static func help(_ knob: ResourceBudget.Knob) -> ArgumentHelp {
        ArgumentHelp("\(knob.summary) (env \(knob.environmentVariable); default \(ResourceBudget.builtIn[knob]))")
    }

    var toolchain: GHCToolchain { GHCToolchain(ghci: ghci) }

    /// The settings in force; a bad budget stops the start, naming where it came from.
    func settings() throws -> SessionSettings {
        SessionSettings(toolchain: toolchain, sandboxed: !noSandbox, seccompPolicy: seccompPolicy, budget: try loadBudget())
    }

    /// The largest message the kernel reads: this flag, else GHCBOX_MAX_MESSAGE_MB, else 64 MB.
    /// A bad value stops the start, naming where it came from and the accepted range.
    func maxMessageBytes(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        let accepted = 1...4096
        let source: String
        let megabytes: Int?
        if let maxMessageMB {
            (source, megabytes) = ("--max-message-mb", maxMessageMB)
        } else if let text = environment["GHCBOX_MAX_MESSAGE_MB"] {
            (source, megabytes) = ("GHCBOX_MAX_MESSAGE_MB '\(text)'", Int(text.trimmingCharacters(in: .whitespaces)))
        } else {
            return WireReader.defaultMaxMessageBytes
        }
        guard let megabytes, accepted.contains(megabytes) else {
            throw ValidationError("\(source) must be a whole number of MB from \(accepted.lowerBound) to \(accepted.upperBound)")
        }
        return megabytes << 20
    }

    /// The budget: sandbox/budgets.conf, then GHCBOX_* variables, then these flags.
    private func loadBudget() throws -> ResourceBudget {
        let flags: [(ResourceBudget.Knob, Int?)] = [
            (.memoryMB, memoryMB), (.cpuSeconds, cpuSeconds), (.wallSeconds, wallSeconds), (.pids, pids),
            (.scratchMB, scratchMB), (.queueDepth, queueDepth), (.outputMB, outputMB), (.cpus, cpus),
        ]
        let overrides = Dictionary(uniqueKeysWithValues: flags.compactMap { knob, value in value.map { (knob, $0) } })
        let file = (try? ResourceLocator.find("sandbox", containing: "budgets.conf")).map { $0 + "/budgets.conf" }
        do {
            return try ResourceBudget.load(defaultsFile: file, environment: ProcessInfo.processInfo.environment, overrides: overrides)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
