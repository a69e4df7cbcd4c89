import Foundation
import GHCiRuntime
import Logging
import Sandbox

/// Makes a kernel's interpreter: GHCi in the jail, or one that refuses every cell, naming
/// what is missing, when the jail or the runtime package cannot be built. It never falls
/// back to running unsandboxed.
public enum InterpreterFactory {
    /// The first session's cgroup spawner, made ahead of the interpreter so the cgroup is
    /// joined while the rest of the kernel starts (none without the jail).
    public static func prepareSpawner(_ settings: SessionSettings, logger: Logger) -> JailLauncher.EarlyCgroup? {
        settings.sandboxed ? JailLauncher.prepareSpawner(budget: settings.budget, logger: logger) : nil
    }

    /// `prepared`: the session's cgroup spawner, from `prepareSpawner`.
    public static func make(_ settings: SessionSettings, logger: Logger, prepared: JailLauncher.EarlyCgroup? = nil,
                            observer: CellObserver? = nil) -> HaskellInterpreter {
        let toolchain = settings.toolchain
        let budget = settings.budget
        let ghcVersion = toolchain.version()
        var configuration = RuntimeConfiguration(ghci: toolchain.ghci)
        // GHC's own heap limit sits below the cgroup's, so most breaches are a catchable heap overflow.
        configuration.arguments += ["+RTS", budget.ghciRTSMemoryFlag, "-RTS"]
        configuration.budget = CellBudget(wall: .seconds(budget.wallSeconds), cpuSeconds: Double(budget.cpuSeconds),
                                          memoryBytes: budget.memoryMB << 20, pids: budget.pids)
        configuration.messageLimit = budget.outputMB << 20
        func interpreter(_ launcher: SessionLauncher, blockedReason: String? = nil) -> HaskellInterpreter {
            let session = RuntimeSession(configuration: configuration, launcher: launcher, logger: logger,
                                         onRestart: { observer?.sessionRestarted() })
            return HaskellInterpreter(session: session, ghcVersion: ghcVersion, budget: budget,
                                      blockedReason: blockedReason, observer: observer, logger: logger)
        }
        func blocked(_ what: String, _ error: Error, fix: String) -> HaskellInterpreter {
            if case .spawner(let spawner)? = prepared { try? spawner.release() }
            logger.error("\(what); cells will be refused", metadata: ["reason": "\(error)"])
            return interpreter(PlainLauncher(), blockedReason: "\(what), so no code runs: \(error). \(fix)")
        }
        let package: RuntimePackage
        do {
            package = try RuntimePackageCache.prepare(toolchain, ghcVersion: ghcVersion, jailed: settings.sandboxed)
        } catch {
            return blocked("The runtime package cannot be prepared", error, fix: RuntimePackageCache.fix(toolchain))
        }
        configuration.displays = package.displays
        for reason in package.skippedDisplays {
            logger.warning("a display library's instances did not build; its values show as text", metadata: ["reason": "\(reason)"])
        }
        guard settings.sandboxed else {
            logger.warning("running WITHOUT the sandbox (--no-sandbox)")
            configuration.arguments += package.ghciArguments()
            return interpreter(PlainLauncher())
        }
        do {
            let launcher = try jailLauncher(settings, logger: logger, prepared: prepared, package: package)
            configuration.arguments += package.ghciArguments(seenAt: RuntimePackage.jailPath)
            return interpreter(launcher)
        } catch {
            return blocked("The sandbox cannot be built on this host", error, fix: "Run `ghcbox doctor` for details.")
        }
    }

    private static func jailLauncher(_ settings: SessionSettings, logger: Logger, prepared: JailLauncher.EarlyCgroup?,
                                     package: RuntimePackage) throws -> JailLauncher {
        let policyPath = try settings.policyPath()
        let policy = try SeccompPolicy.load(path: policyPath)
        var spec = SandboxSpec.ghciDefault(policy: policy)
        spec.readOnlyBinds.append(.init(package.directory, at: RuntimePackage.jailPath))
        // The process budget as RLIMIT_NPROC too: it holds where no session cgroup can be made.
        spec.limits.processes = UInt64(settings.budget.pids)
        // The host is checked only if a jail fails to start (JailLauncher.explain): a fit host pays nothing.
        var launcher = JailLauncher(spec: spec, budget: settings.budget, ghcExecutable: settings.toolchain.ghc, logger: logger,
                                    prepared: prepared)
        // The container seccomp profile sits beside the jail's own policy.
        let profile = URL(fileURLWithPath: policyPath).deletingLastPathComponent().appendingPathComponent("container-seccomp.json").path
        let arguments = Array(CommandLine.arguments.dropFirst())
        launcher.containerAdvice = { ContainerRuntime.adviceHere(profilePath: profile, arguments: arguments) }
        return launcher
    }
}
