import Sandbox

/// Starts GHCi inside ghcbox's jail (namespaces, pivot_root, no capabilities,
/// seccomp) and wipes the jail's scratch space after every cell.
public struct JailLauncher: SessionLauncher {
    public var spec: SandboxSpec

    public init(spec: SandboxSpec) { self.spec = spec }

    public var isolation: String { "ghcbox jail (user, mount, pid, net, ipc, uts, cgroup namespaces; seccomp; no capabilities)" }

    public func launch(executable: String, arguments: [String], environment: [String: String]) throws -> LaunchedGHCi {
        var jailed = spec
        // The jail's own HOME, PATH and TMPDIR win; the runtime may add to them.
        jailed.environment.merge(environment) { jail, _ in jail }
        return LaunchedGHCi(child: try JailSpawner.spawn(spec: jailed, executable: executable, arguments: arguments))
    }

    /// Nothing a cell writes survives into the next one.
    public func cleanUp(after child: ChildProcess) throws {
        _ = try ScratchWiper(process: child).wipe()
    }
}
