import Foundation
import Logging
import Sandbox
import Synchronization

/// Starts GHCi inside ghcbox's jail (namespaces, pivot_root, no capabilities,
/// seccomp), in a cgroup of its own that holds the session's memory and pids
/// budget, and wipes the jail's scratch space after every cell.
public struct JailLauncher: SessionLauncher {
    public var spec: SandboxSpec
    public var budget: ResourceBudget
    /// For the host checks that explain a failed launch.
    public var ghcExecutable: String
    /// Inside a container: the `run` options that let the jail build there, made only when it cannot.
    public var containerAdvice: @Sendable () -> String? = { nil }
    private let logger: Logger
    /// What `prepareSpawner` made for the first launch.
    private let prepared: PreparedSpawner

    /// The first session's cgroup, tried for as early as the kernel could.
    public enum EarlyCgroup: Sendable {
        case spawner(CgroupSpawner)
        /// The try failed and was logged; the first launch does not try (and warn) again.
        case unavailable
    }

    /// `prepared`: from `prepareSpawner`; without it the first launch makes its own cgroup.
    public init(spec: SandboxSpec, budget: ResourceBudget, ghcExecutable: String, logger: Logger, prepared: EarlyCgroup? = nil) {
        self.prepared = PreparedSpawner(prepared)
        self.spec = spec
        self.budget = budget
        self.ghcExecutable = ghcExecutable
        self.logger = logger
        for index in self.spec.tmpfs.indices where self.spec.tmpfs[index].path == "/scratch" {
            self.spec.tmpfs[index].sizeMB = UInt64(budget.scratchMB)
        }
    }

    public var isolation: String { "ghcbox jail (user, mount, pid, net, ipc, uts, cgroup namespaces; seccomp; no capabilities)" }

    /// Makes a session's cgroup and its spawner thread, for `init(prepared:)`: made first
    /// thing at kernel start, the thread's join into the cgroup (one RCU grace period on v1)
    /// overlaps the kernel's start instead of the launch.
    public static func prepareSpawner(budget: ResourceBudget, logger: Logger) -> EarlyCgroup {
        makeSpawner(budget: budget, logger: logger).map { .spawner($0) } ?? .unavailable
    }

    private static func makeSpawner(budget: ResourceBudget, logger: Logger) -> CgroupSpawner? {
        do {
            let cgroup = try Cgroup.create(name: "ghcbox-\(UUID().uuidString.prefix(8).lowercased())", budget: budget, logger: logger)
            return CgroupSpawner(cgroup: cgroup)
        } catch {
            logger.warning("no session cgroup: the CPU budget is not enforced, memory rests on GHC's heap limit and processes on RLIMIT_NPROC", metadata: ["error": "\(error)"])
            return nil
        }
    }

    public func launch(executable: String, arguments: [String], environment: [String: String]) throws -> LaunchedGHCi {
        var jailed = spec
        // The jail's own HOME, PATH and TMPDIR win; the runtime may add to them.
        jailed.environment.merge(environment) { jail, _ in jail }
        let spawner: CgroupSpawner?
        switch prepared.take() {
        case .spawner(let early)?: spawner = early
        case .unavailable?: spawner = nil
        case nil: spawner = Self.makeSpawner(budget: budget, logger: logger) // a later session, or none prepared
        }
        guard let spawner else {
            // Without a cgroup the jail still holds; memory and pids budgets then rest on +RTS -M alone.
            let child = try JailSpawner.spawn(spec: jailed, executable: executable, arguments: arguments)
            return LaunchedGHCi(child: child)
        }
        do {
            let child = try spawner.spawn(spec: jailed, executable: executable, arguments: arguments)
            return LaunchedGHCi(child: child, counters: CgroupCounters(cgroup: spawner.cgroup), release: { [logger] in
                do { try spawner.release() } catch { logger.error("session cgroup left behind", metadata: ["error": "\(error)"]) }
            })
        } catch {
            try? spawner.release()
            throw error
        }
    }

    /// The host checks run only once a jail has failed, so a healthy start pays nothing for them.
    public func explain(launchFailure: Error) -> String? {
        let problem = HostCheck(ghcExecutable: ghcExecutable, policyPath: nil).firstBlockingProblem()
        return "The sandbox cannot be built on this host, so no code runs (\(launchFailure)). "
            + (problem.map { "\($0). " } ?? "") + (containerAdvice() ?? "Run `ghcbox doctor` for details.")
    }

    /// Nothing a cell writes survives into the next one.
    public func cleanUp(after child: ChildProcess) throws {
        _ = try ScratchWiper(process: child).wipe()
    }
}

/// A session cgroup's counters as the guard reads them.
struct CgroupCounters: SessionCounters {
    let cgroup: Cgroup

    func sample() -> CounterSample {
        let usage = cgroup.usage()
        return CounterSample(cpuSeconds: usage.cpuSeconds, memoryPeakBytes: Int(usage.memoryPeakBytes),
                             memoryBytes: Int(usage.memoryCurrentBytes), memoryLimitHits: Int(usage.memoryLimitHits),
                             oomEvents: Int(usage.oomEvents), oomKills: Int(usage.oomKills),
                             pidsLimitHits: Int(usage.pidsEventsMax), pids: Int(usage.currentPids))
    }

    func resetPeak() { cgroup.resetPeak() }
}

/// Holds what was made ahead of the first launch, for that launch only.
private final class PreparedSpawner: Sendable {
    private let slot: Mutex<JailLauncher.EarlyCgroup?>

    init(_ early: JailLauncher.EarlyCgroup?) { slot = Mutex(early) }

    func take() -> JailLauncher.EarlyCgroup? { slot.withLock { slot in defer { slot = nil }; return slot } }
}
