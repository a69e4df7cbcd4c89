import ArgumentParser
import Foundation
import GHCiRuntime
import JupyterWire
import Logging
import Sandbox

/// Options shared by `kernel` and `run`: how sessions are made.
struct SessionOptions: ParsableArguments {
    @Flag(name: .customLong("no-sandbox"), help: "Run GHCi without the jail (development only; the banner and every reply say so).")
    var noSandbox = false

    @Option(help: "The ghci executable.")
    var ghci = "/usr/bin/ghci"

    @Option(name: .customLong("seccomp-policy"), help: "The seccomp policy file (default: sandbox/seccomp.policy of this installation).")
    var seccompPolicy: String?

    @Option(name: .customLong("memory-mb"), help: "Session memory ceiling in MB (env GHCBOX_MEMORY_MB).")
    var memoryMB: String?
    @Option(name: .customLong("cpu-seconds"), help: "CPU seconds per cell (env GHCBOX_CPU_SECONDS).")
    var cpuSeconds: String?
    @Option(name: .customLong("wall-seconds"), help: "Wall-clock seconds per cell (env GHCBOX_WALL_SECONDS).")
    var wallSeconds: String?
    @Option(help: "Processes and threads per session (env GHCBOX_PIDS).")
    var pids: String?
    @Option(name: .customLong("scratch-mb"), help: "Size of /scratch in MB (env GHCBOX_SCRATCH_MB).")
    var scratchMB: String?
    @Option(name: .customLong("queue-depth"), help: "Cells that may wait behind a running one (env GHCBOX_QUEUE_DEPTH).")
    var queueDepth: String?
    @Option(name: .customLong("output-mb"), help: "Output one cell may send, in MB (env GHCBOX_OUTPUT_MB).")
    var outputMB: String?
    @Option(help: "CPUs a session may keep busy at once, in cells and between them (env GHCBOX_CPUS).")
    var cpus: String?
    @Option(name: .customLong("max-message-mb"), help: "Largest message the kernel reads from a client, in MB (env GHCBOX_MAX_MESSAGE_MB; default 64).")
    var maxMessageMB: String?

    /// The largest message the kernel reads: this flag, else GHCBOX_MAX_MESSAGE_MB, else 64 MB.
    /// A bad value stops the start, naming where it came from and the accepted range.
    func maxMessageBytes(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        let accepted = 1...4096
        let given = maxMessageMB.map { ($0, "--max-message-mb") }
            ?? environment["GHCBOX_MAX_MESSAGE_MB"].map { ($0, "GHCBOX_MAX_MESSAGE_MB") }
        guard let (text, source) = given else { return WireReader.defaultMaxMessageBytes }
        guard let megabytes = Int(text.trimmingCharacters(in: .whitespaces)), accepted.contains(megabytes) else {
            throw ValidationError("\(source) must be a whole number of MB from \(accepted.lowerBound) to \(accepted.upperBound), not '\(text)'")
        }
        return megabytes << 20
    }

    /// The budget: sandbox/budgets.conf, then GHCBOX_* variables, then these flags. Bad values stop the start.
    func loadBudget() throws -> ResourceBudget {
        let flags: [(String, String?)] = [
            ("memory_mb", memoryMB), ("cpu_seconds", cpuSeconds), ("wall_seconds", wallSeconds),
            ("pids", pids), ("scratch_mb", scratchMB), ("queue_depth", queueDepth), ("output_mb", outputMB),
            ("cpus", cpus),
        ]
        let overrides = Dictionary(uniqueKeysWithValues: flags.compactMap { key, value in value.map { (key, $0) } })
        let file = (try? ResourceLocator.find("sandbox", containing: "budgets.conf")).map { $0 + "/budgets.conf" }
        do {
            return try ResourceBudget.load(defaultsFile: file, environment: ProcessInfo.processInfo.environment, overrides: overrides)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The first session's cgroup spawner, made ahead of the interpreter (none without the jail).
    func prepareSpawner(budget: ResourceBudget, logger: Logger) -> JailLauncher.EarlyCgroup? {
        noSandbox ? nil : JailLauncher.prepareSpawner(budget: budget, logger: logger)
    }

    /// Builds the interpreter: GHCi in the jail, or one that refuses every cell, naming what is
    /// missing, when the jail or the runtime package cannot be built. It never falls back to
    /// running unsandboxed.
    /// `prepared`: the session's cgroup spawner, from `prepareSpawner`.
    func makeInterpreter(budget: ResourceBudget, logger: Logger, prepared: JailLauncher.EarlyCgroup? = nil) -> GHCiInterpreter {
        let ghcVersion = GHCVersion.detect(ghci: ghci)
        var configuration = RuntimeConfiguration(ghci: ghci)
        // GHC's own heap limit sits below the cgroup's, so most breaches are a catchable heap overflow.
        configuration.arguments += ["+RTS", budget.ghciRTSMemoryFlag, "-RTS"]
        configuration.budget = CellBudget(wallSeconds: Double(budget.wallSeconds), cpuSeconds: Double(budget.cpuSeconds),
                                          memoryBytes: budget.memoryMB << 20, pids: budget.pids)
        func interpreter(_ launcher: SessionLauncher, blockedReason: String? = nil) -> GHCiInterpreter {
            let session = RuntimeSession(configuration: configuration, launcher: launcher, logger: logger)
            return GHCiInterpreter(session: session, ghcVersion: ghcVersion, outputBytes: budget.outputMB << 20,
                                   blockedReason: blockedReason, logger: logger)
        }
        func blocked(_ what: String, _ error: Error, fix: String) -> GHCiInterpreter {
            if case .spawner(let spawner)? = prepared { try? spawner.release() }
            logger.error("\(what); cells will be refused", metadata: ["reason": "\(error)"])
            return interpreter(PlainLauncher(), blockedReason: "\(what), so no code runs: \(error). \(fix)")
        }
        let package: RuntimePackage
        do {
            package = try RuntimePackageCache.prepare(ghci: ghci, ghcVersion: ghcVersion, jailed: !noSandbox)
        } catch {
            return blocked("The runtime package cannot be prepared", error, fix: RuntimePackageCache.fix(ghci: ghci))
        }
        if noSandbox {
            logger.warning("running WITHOUT the sandbox (--no-sandbox)")
            configuration.arguments += package.ghciArguments()
            return interpreter(PlainLauncher())
        }
        do {
            let launcher = try jailLauncher(budget: budget, logger: logger, prepared: prepared, package: package)
            configuration.arguments += package.ghciArguments(seenAt: RuntimePackage.jailPath)
            return interpreter(launcher)
        } catch {
            return blocked("The sandbox cannot be built on this host", error, fix: "Run `ghcbox doctor` for details.")
        }
    }

    func policyPath() throws -> String {
        if let seccompPolicy { return seccompPolicy }
        return try ResourceLocator.find("sandbox", containing: "seccomp.policy") + "/seccomp.policy"
    }

    private func jailLauncher(budget: ResourceBudget, logger: Logger, prepared: JailLauncher.EarlyCgroup?,
                              package: RuntimePackage) throws -> JailLauncher {
        let path = try policyPath()
        let policy = try SeccompPolicy.load(path: path)
        var spec = SandboxSpec.ghciDefault(policy: policy)
        spec.readOnlyBinds.append(.init(package.directory, at: RuntimePackage.jailPath))
        // The process budget as RLIMIT_NPROC too: it holds where no session cgroup can be made.
        spec.limits.processes = UInt64(budget.pids)
        // The host is checked only if a jail fails to start (JailLauncher.explain): a fit host pays nothing.
        let ghc = (ghci as NSString).deletingLastPathComponent + "/ghc"
        return JailLauncher(spec: spec, budget: budget, ghcExecutable: ghc, logger: logger, prepared: prepared)
    }
}

/// The GHC version: from the name Debian's `ghc` link points at (`ghc-9.0.2`), which costs
/// nothing, else asked once from `ghc --numeric-version` beside the ghci in use.
enum GHCVersion {
    static func detect(ghci: String) -> String {
        let ghc = (ghci as NSString).deletingLastPathComponent + "/ghc"
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: ghc),
           let version = target.split(separator: "/").last?.split(separator: "-").last,
           version.first?.isNumber == true, version.contains(".") {
            return String(version)
        }
        let run = try? CommandRun.run(ghc, ["--numeric-version"], environment: ["PATH": "/usr/bin:/bin"])
        let version = run?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return version.isEmpty ? "unknown" : version
    }
}
