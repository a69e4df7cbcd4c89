import Foundation
import Logging
import Sandbox

/// Starts GHCi inside ghcbox's jail (namespaces, pivot_root, no capabilities,
/// seccomp), in a cgroup of its own that holds the session's memory and pids
/// budget, and wipes the jail's scratch space after every cell.
public struct JailLauncher: SessionLauncher {
    public var spec: SandboxSpec
    public var budget: ResourceBudget
    /// For the host checks that explain a failed launch.
    public var ghcExecutable: String
    private let logger: Logger

    public init(spec: SandboxSpec, budget: ResourceBudget, ghcExecutable: String, logger: Logger) {
        self.spec = spec
        self.budget = budget
        self.ghcExecutable = ghcExecutable
        self.logger = logger
        for index in self.spec.tmpfs.indices where self.spec.tmpfs[index].path == "/scratch" {
            self.spec.tmpfs[index].sizeMB = UInt64(budget.scratchMB)
        }
    }

    public var isolation: String { "ghcbox jail (user, mount, pid, net, ipc, uts, cgroup namespaces; seccomp; no capabilities)" }

    public func launch(executable: String, arguments: [String], environment: [String: String]) throws -> LaunchedGHCi {
        var jailed = spec
        // The jail's own HOME, PATH and TMPDIR win; the runtime may add to them.
        jailed.environment.merge(environment) { jail, _ in jail }
        var cgroup: Cgroup?
        do {
            cgroup = try Cgroup.create(name: "ghcbox-\(UUID().uuidString.prefix(8).lowercased())", budget: budget, logger: logger)
            jailed.cgroupProcs = cgroup!.procsFiles
        } catch {
            // Without a cgroup the jail still holds; memory and pids budgets then rest on +RTS -M alone.
            logger.warning("no session cgroup: memory, CPU and pids budgets are not enforced by the kernel", metadata: ["error": "\(error)"])
        }
        do {
            let child = try JailSpawner.spawn(spec: jailed, executable: executable, arguments: arguments)
            return LaunchedGHCi(child: child, counters: cgroup.map(CgroupCounters.init), release: { [cgroup] in
                try? cgroup?.remove()
            })
        } catch {
            try? cgroup?.remove()
            throw error
        }
    }

    /// The host checks run only once a jail has failed, so a healthy start pays nothing for them.
    public func explain(launchFailure: Error) -> String? {
        let problem = HostCheck(ghcExecutable: ghcExecutable, policyPath: nil).firstBlockingProblem()
        return "The sandbox cannot be built on this host, so no code runs (\(launchFailure)). "
            + (problem.map { "\($0). " } ?? "") + "Run `ghcbox doctor` for details."
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
                             oomKills: Int(usage.oomKills), pidsLimitHits: Int(usage.pidsEventsMax))
    }

    func resetPeak() { cgroup.resetPeak() }
}
