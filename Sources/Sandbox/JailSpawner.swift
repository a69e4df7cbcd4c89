import CSandbox
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Starts a program inside a jail built from a `SandboxSpec`, through `csb_spawn_jailed`.
///
/// The returned `ChildProcess.pid` is the jail's pid 1 (a reaper in `CSandbox`), not the
/// program itself: `signal(SIGINT)` (and SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) is
/// forwarded to the program; `signal(SIGKILL)` ends the whole jail; `wait()` reports the
/// program's status, a killed program as `.exited(128 + signal)`.
///
/// Teardown: every mount of the jail lives only in the jail's own mount namespace, so it
/// vanishes with the jail's last process; nothing is created on the host's filesystem.
/// pid 1 dies with the spawner thread (and so with the kernel, even on SIGKILL), and
/// the kernel kills every other process of a pid namespace when its pid 1 dies.
public enum JailSpawner {
    public static func spawn(
        spec: SandboxSpec, executable: String, arguments: [String]
    ) throws(SandboxError) -> ChildProcess {
        try spec.validate()
        return try SpawnerThread.shared.run { () throws(SandboxError) in
            try spawnOnCurrentThread(spec: spec, executable: executable, arguments: arguments)
        }
    }

    /// Spawns from the calling thread: the jail dies when this thread exits. Tests use it
    /// to show the parent-death chain; everything else goes through `spawn`.
    static func spawnOnCurrentThread(
        spec: SandboxSpec, executable: String, arguments: [String]
    ) throws(SandboxError) -> ChildProcess {
        let pipes = try ChildPipes()
        var stdio = pipes.childStdio
        var pid: pid_t = 0
        var rootFD: Int32 = -1
        var step: Int32 = -1
        let arena = CArena()
        let environment = spec.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let err = spec.seccomp.withCRules { rules, ruleCount in
            var jail = arena.jail(spec)
            jail.seccomp_rules = rules
            jail.seccomp_rule_count = ruleCount
            return withCStrings([executable] + arguments) { argv in
                withCStrings(environment) { envp in
                    csb_spawn_jailed(&jail, executable, argv, envp, &stdio, &pid, &rootFD, &step)
                }
            }
        }
        pipes.closeChildEnds()
        guard err == 0 else {
            pipes.closeParentEnds()
            let name = String(cString: csb_step_name(step))
            throw SandboxError(.jailStep, errno: err, detail: name, hint: hint(step: name, errno: err, spec: spec))
        }
        return pipes.process(pid: pid, rootFD: rootFD >= 0 ? FileDescriptor(rawValue: rootFD) : nil)
    }

    /// What the host can tell about a failed step, to name the culprit.
    private static func hint(step: String, errno err: Int32, spec: SandboxSpec) -> String {
        switch step {
        case "bind" where err == ENOENT:
            let missing = spec.readOnlyBinds.map(\.source).filter { access($0, F_OK) != 0 }
            return missing.isEmpty ? "" : "missing on the host: " + missing.joined(separator: ", ")
        case "execve":
            return "the program must exist inside the jail, under a bound path"
        case "uid_map", "gid_map", "clone":
            return "are user namespaces enabled? run 'ghcbox doctor'"
        case "proc":
            return "the host's /proc must be fully visible (a container may need --security-opt systempaths=unconfined)"
        case "userns_limits":
            return "the jail sets its own namespace's limits in /proc/sys/user; a security profile that forbids writes under /proc/sys stops it (Docker's default AppArmor profile: --security-opt apparmor=unconfined)"
        default:
            return ""
        }
    }
}

/// C copies of a spec's strings and arrays, freed with the arena.
private final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit { blocks.forEach { free($0) } }

    func string(_ s: String) -> UnsafePointer<CChar> {
        let p = strdup(s)!
        blocks.append(UnsafeMutableRawPointer(p))
        return UnsafePointer(p)
    }

    func array<T>(_ items: [T]) -> UnsafePointer<T>? {
        guard !items.isEmpty else { return nil }
        let raw = malloc(MemoryLayout<T>.stride * items.count)!
        blocks.append(raw)
        let typed = raw.bindMemory(to: T.self, capacity: items.count)
        typed.initialize(from: items, count: items.count)
        return UnsafePointer(typed)
    }

    func strings(_ items: [String]) -> UnsafePointer<UnsafePointer<CChar>?>? {
        array(items.map { Optional(string($0)) })
    }

    func jail(_ spec: SandboxSpec) -> csb_jail {
        let binds = spec.readOnlyBinds.map { csb_bind(source: string($0.source), target: string($0.target)) }
        let links = spec.symlinks.map { csb_symlink(path: string($0.path), target: string($0.target)) }
        let files = (spec.etcFiles + spec.extraFiles).map {
            csb_file(path: string($0.path), contents: string($0.contents), mode: $0.mode)
        }
        let tmpfs = spec.tmpfs.map {
            csb_tmpfs(path: string($0.path), size_mb: $0.sizeMB, max_inodes: $0.maxInodes, mode: $0.mode)
        }
        var limits: [csb_rlimit] = []
        func add(_ resource: __rlimit_resource, _ value: UInt64?) {
            if let value { limits.append(csb_rlimit(resource: Int32(resource.rawValue), soft: value, hard: value)) }
        }
        add(RLIMIT_CORE, spec.limits.coreBytes)
        add(RLIMIT_NOFILE, spec.limits.openFiles)
        add(RLIMIT_FSIZE, spec.limits.fileSizeBytes)
        add(RLIMIT_STACK, spec.limits.stackBytes)
        add(__RLIMIT_SIGPENDING, spec.limits.pendingSignals)
        add(__RLIMIT_MSGQUEUE, spec.limits.messageQueueBytes)
        add(__RLIMIT_MEMLOCK, spec.limits.lockedMemoryBytes)
        add(__RLIMIT_NPROC, spec.limits.processes)
        let host = spec.resolvedHostIDs
        return csb_jail(
            hostname: string(spec.hostname), uid: spec.uid, gid: spec.gid,
            host_uid: host.uid, host_gid: host.gid,
            host_id_owns_namespace: geteuid() == 0 && host.uid != SandboxSpec.unprivilegedHostID ? 1 : 0,
            binds: array(binds), bind_count: binds.count,
            symlinks: array(links), symlink_count: links.count,
            files: array(files), file_count: files.count,
            devices: strings(spec.devices), device_count: spec.devices.count,
            tmpfs: array(tmpfs), tmpfs_count: tmpfs.count,
            workdir: string(spec.workingDirectory),
            rlimits: array(limits), rlimit_count: limits.count,
            cgroup_procs: strings(spec.cgroupProcs), cgroup_proc_count: spec.cgroupProcs.count,
            seccomp_rules: nil, seccomp_rule_count: 0
        )
    }
}
