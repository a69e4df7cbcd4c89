import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// What `ghcbox doctor` checks on the host, and what fails the kernel closed.
public struct HostCheck: Sendable {
    public struct Row: Sendable, Equatable {
        public var check: String
        public var ok: Bool
        public var detail: String
        /// What to do when `ok` is false (empty when there is nothing to do).
        public var fix: String
        /// A failed blocking row means no jail can be built: the kernel must refuse to run code.
        public var blocking: Bool

        public init(check: String, ok: Bool, detail: String, fix: String, blocking: Bool) {
            self.check = check
            self.ok = ok
            self.detail = detail
            self.fix = fix
            self.blocking = blocking
        }
    }

    public var ghcExecutable: String
    public var policyPath: String?

    public init(ghcExecutable: String = "/usr/bin/ghc", policyPath: String? = nil) {
        self.ghcExecutable = ghcExecutable
        self.policyPath = policyPath
    }

    /// Runs every check (each at most a throwaway child process); takes some milliseconds.
    public func rows() -> [Row] {
        var rows = [namespaces(), seccomp()]
        rows += mounts()
        if let policyPath { rows.append(policy(policyPath)) }
        let cgroups = CgroupProbe.rows()
        rows += cgroups
        rows += Self.budgetRows(Self.enforcement(cgroupRows: cgroups))
        rows.append(Self.identityRow())
        rows.append(ghc())
        return rows
    }

    /// How the budgets are enforced on this host: judged from its cgroups, and from its Linux
    /// version for RLIMIT_NPROC, which counts per user namespace since 5.14.
    public struct Enforcement: Sendable, Equatable {
        public var memoryCgroup: Bool
        public var pidsCgroup: Bool
        public var cpuCgroup: Bool
        public var nprocPerNamespace: Bool

        /// One line for the kernel's banner and start log.
        public var summary: String {
            let memory = memoryCgroup ? "cgroup limit and +RTS -M" : "+RTS -M only"
            let processes = pidsCgroup ? "cgroup limit" : (nprocPerNamespace ? "RLIMIT_NPROC" : "RLIMIT_NPROC, shared with the host uid")
            let cpu = cpuCgroup ? "cgroup counters" : "not enforced"
            return "memory: \(memory); processes: \(processes); CPU: \(cpu); wall clock: enforced"
        }
    }

    public static func enforcement() -> Enforcement { enforcement(cgroupRows: CgroupProbe.rows()) }

    static func enforcement(cgroupRows: [Row], kernelRelease: String = kernelRelease()) -> Enforcement {
        func writable(_ controller: String) -> Bool {
            cgroupRows.contains { $0.check.hasPrefix("cgroup \(controller)") && $0.ok }
        }
        return Enforcement(memoryCgroup: writable("memory"), pidsCgroup: writable("pids"), cpuCgroup: writable("cpu"),
                           nprocPerNamespace: version(kernelRelease).map { $0 >= (5, 14) } ?? true)
    }

    /// The `doctor` rows for `enforcement`. Not blocking: the jail holds without them.
    static func budgetRows(_ enforced: Enforcement, kernelRelease: String = kernelRelease()) -> [Row] {
        let fix = "give the kernel a cgroup it may write (systemd: Delegate=yes; docker: --cgroupns=private with a writable /sys/fs/cgroup)"
        let nproc = "RLIMIT_NPROC of the jail's user"
        func row(_ budget: String, _ ok: Bool, _ detail: String, fix: String = fix) -> Row {
            Row(check: "budget: \(budget)", ok: ok, detail: detail, fix: ok ? "" : fix, blocking: false)
        }
        return [
            enforced.memoryCgroup
                ? row("memory", true, "the session cgroup's limit, with GHCi's +RTS -M below it")
                : row("memory", false, "GHCi's +RTS -M only: memory outside GHC's heap (C allocations, programs a cell starts) is not bounded"),
            enforced.pidsCgroup
                ? row("processes", true, "the session cgroup's pids limit (and \(nproc))")
                : enforced.nprocPerNamespace
                    ? row("processes", true, "\(nproc), counted in the jail's own user namespace (no writable pids cgroup)")
                    : row("processes", false, "\(nproc), which Linux \(kernelRelease) counts for every process of its host uid, not per jail",
                          fix: "use Linux 5.14 or later, or " + fix),
            enforced.cpuCgroup
                ? row("CPU", true, "the session cgroup's CPU time, read while a cell runs, and its quota of `cpus` CPUs, in cells and between them")
                : row("CPU", false, "not enforced without a session cgroup (the wall-clock budget still ends a cell)"),
        ]
    }

    /// Whose per-user counters the jail's user shares (see `JailIdentity`).
    public static func identityRow(kernelUID: UInt32 = geteuid(), identity: @autoclosure () -> JailIdentity = JailIdentity.forThisKernel) -> Row {
        let check = "jail identity"
        guard kernelUID == 0 else {
            return Row(check: check, ok: false,
                       detail: "the kernel's own uid \(kernelUID), the only one an ordinary user can map: the jail shares that user's per-user counters (pipe buffers, epoll watches, processes and inotify instances of the namespaces it owns)",
                       fix: "for a uid of the jail's own, run the kernel as root with a ghcbox range in /etc/subuid and /etc/subgid", blocking: false)
        }
        let jail = identity()
        switch jail.source {
        case .range:
            return Row(check: check, ok: true,
                       detail: "host uid \(jail.uid), gid \(jail.gid) from the ghcbox range of /etc/subuid and /etc/subgid, this kernel's alone; it owns the jail's user namespace",
                       fix: "", blocking: false)
        case .nobody, .kernelUser:
            return Row(check: check, ok: false,
                       detail: "host uid \(jail.uid) (nobody), shared by the jails of every root-run kernel and the host's nobody, which share its per-user counters (pipe buffers, epoll watches) and can signal each other's processes; root owns the jail's user namespace, so the counts one level up (processes, inotify instances) are root's, within the jail's own small limits",
                       fix: "give ghcbox a range no user has, the same in /etc/subuid and /etc/subgid, e.g. ghcbox:2000000:65536", blocking: false)
        }
    }

    public static func kernelRelease() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "" }
        return withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// (major, minor) of a release such as "6.1.0-18-amd64".
    static func version(_ release: String) -> (Int, Int)? {
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    /// Only the checks that can block the jail, and GHC by its presence alone, not its version:
    /// what the kernel runs at start, where every millisecond delays the first cell.
    public func blockingRows() -> [Row] {
        var rows = [namespaces(), seccomp()]
        rows += mounts()
        if let policyPath { rows.append(policy(policyPath)) }
        rows.append(access(ghcExecutable, X_OK) == 0 ? Row(check: "ghc", ok: true, detail: ghcExecutable, fix: "", blocking: true)
                    : ghcMissing("not found or not executable"))
        return rows.filter(\.blocking)
    }

    /// The first reason no jail can be built, with its fix, or nil when the host is fit.
    public func firstBlockingProblem() -> String? {
        firstBlockingProblem(in: blockingRows())
    }

    public func firstBlockingProblem(in rows: [Row]) -> String? {
        guard let row = rows.first(where: { $0.blocking && !$0.ok }) else { return nil }
        return "sandbox unavailable: \(row.check): \(row.detail). Fix: \(row.fix)"
    }

    private func namespaces() -> Row {
        let err = csb_probe_namespaces()
        return Row(
            check: "user namespaces", ok: err == 0,
            detail: err == 0 ? "a child can be cloned into new user, mount, pid, net, ipc, uts and cgroup namespaces"
                : "clone with new namespaces failed: \(reason(err))",
            fix: err == 0 ? "" : """
                enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, \
                user.max_user_namespaces > 0; on Ubuntu 24.04+ allow them for ghcbox in AppArmor, \
                kernel.apparmor_restrict_unprivileged_userns=0); in a container, run it with ghcbox's \
                profile, which allows clone into namespaces (docker run --security-opt \
                seccomp=sandbox/container-seccomp.json; where AppArmor confines it, also \
                --security-opt apparmor=unconfined)
                """,
            blocking: true)
    }

    private func seccomp() -> Row {
        let err = csb_probe_seccomp()
        return Row(
            check: "seccomp", ok: err == 0,
            detail: err == 0 ? "seccomp filters with errno actions are supported" : "seccomp unavailable: \(reason(err))",
            fix: err == 0 ? "" : "use a kernel built with CONFIG_SECCOMP_FILTER (every mainstream distribution kernel has it)",
            blocking: true)
    }

    private func mounts() -> [Row] {
        var tmpfsErr: Int32 = 0, procErr: Int32 = 0
        let err = csb_probe_mounts(&tmpfsErr, &procErr)
        if err != 0 {
            return [Row(check: "tmpfs and /proc in a user namespace", ok: false,
                        detail: "the probe could not run: \(reason(err))", fix: "fix user namespaces first",
                        blocking: true)]
        }
        return [
            Row(check: "tmpfs in a user namespace", ok: tmpfsErr == 0,
                detail: tmpfsErr == 0 ? "mountable" : "mount failed: \(reason(tmpfsErr))",
                fix: tmpfsErr == 0 ? "" : "allow mounts inside user namespaces (a container needs ghcbox's seccomp profile, sandbox/container-seccomp.json, and no AppArmor/SELinux profile that denies mount)",
                blocking: true),
            Row(check: "/proc in a user namespace", ok: procErr == 0,
                detail: procErr == 0 ? "a fresh /proc mounts for a new pid namespace" : "mount failed: \(reason(procErr))",
                fix: procErr == 0 ? "" : """
                    the host's /proc must be fully visible (no paths masked over it): in Docker use \
                    --security-opt systempaths=unconfined, in podman --security-opt unmask=/proc/*, \
                    in Kubernetes procMount: Unmasked (the jail masks the same paths in its own /proc)
                    """,
                blocking: true),
        ]
    }

    private func policy(_ path: String) -> Row {
        do throws(SandboxError) {
            let policy = try SeccompPolicy.load(path: path)
            try policy.validate()
            return Row(check: "seccomp policy", ok: true, detail: "\(path): \(policy.rules.count) rules", fix: "",
                       blocking: true)
        } catch {
            return Row(check: "seccomp policy", ok: false, detail: error.description,
                       fix: "correct the policy file (see the format at its top)", blocking: true)
        }
    }

    private func ghcMissing(_ why: String) -> Row {
        Row(check: "ghc", ok: false, detail: "\(ghcExecutable): \(why)",
            fix: "install GHC (Debian: apt-get install ghc) or point ghcbox at it", blocking: true)
    }

    private func ghc() -> Row {
        let failed = ghcMissing
        let run: CommandRun
        do {
            run = try CommandRun.run(ghcExecutable, ["--numeric-version"])
        } catch {
            return failed(reason(error.errno))
        }
        let version = run.stdout.split(separator: "\n").first.map(String.init) ?? ""
        guard run.succeeded, !version.isEmpty else { return failed("ghc --numeric-version \(run.status)") }
        return Row(check: "ghc", ok: true, detail: "\(ghcExecutable) version \(version)", fix: "", blocking: true)
    }
}

func reason(_ err: Int32) -> String { String(cString: strerror(err)) }
