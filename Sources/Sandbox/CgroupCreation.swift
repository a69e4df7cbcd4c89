import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension Cgroup {
    /// Creates the session's cgroup `name` beneath the kernel's own cgroup and writes the
    /// budget's limits (memory, with no swap where the kernel lets us say so, pids, and the
    /// CPU quota). Throws a `.cgroup` error naming the controller or file that is missing or
    /// not writable; the caller may then run without a cgroup, saying so. Nothing is left
    /// behind on failure. The CPU quota alone is optional: without it the session still
    /// gets its cgroup, and the first session that goes without logs why.
    public static func create(
        name: String, budget: ResourceBudget, layout: CgroupLayout = .detect(), logger: Logger? = nil
    ) throws(SandboxError) -> Cgroup {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", name != leafName else {
            throw SandboxError(.cgroup, errno: EINVAL, detail: "'\(name)' is not a usable session cgroup name")
        }
        let cgroup: Cgroup
        switch layout {
        case .unavailable(let reason):
            throw SandboxError(.cgroup, errno: ENOENT, detail: reason)
        case .v1(let own):
            cgroup = try createV1(name: name, budget: budget, own: own, logger: logger)
        case .v2(let own):
            cgroup = try createV2(name: name, budget: budget, own: own, logger: logger)
        }
        logger?.debug("cgroup \(name) created", metadata: ["directories": "\(cgroup.directories)"])
        return cgroup
    }

    /// On v2, the leaf the kernel process moves into so that its own cgroup may delegate
    /// controllers to the sessions' cgroups beside it.
    public static let leafName = "kernel"

    /// The period of the CPU quota, in microseconds (the kernel's default): each period
    /// the session may run `cpus` times this long, summed over its threads.
    public static let cpuPeriodMicroseconds = 100_000

    /// Whether a session without a CPU quota has been logged (once per kernel: every
    /// session of a host meets the same reason).
    private static let quotaWarned = Atomic<Bool>(false)

    private static func createV1(
        name: String, budget: ResourceBudget, own: [String: String], logger: Logger?
    ) throws(SandboxError) -> Cgroup {
        var session: [String: String] = [:]
        var directories: [String] = []
        var counters = Counters()
        do throws(SandboxError) {
            for controller in CgroupLayout.v1Controllers {
                guard let base = own[controller] else {
                    throw SandboxError(.cgroup, errno: ENOENT,
                                       detail: "the v1 controller '\(controller)' is not mounted or this process is not in it")
                }
                let directory = base + "/" + name
                if !directories.contains(directory) {
                    try makeDirectory(directory, controller: controller)
                    directories.append(directory)
                }
                session[controller] = directory
            }
            if let directory = quotaDirectoryV1(name: name, own: own, made: &directories, logger: logger) {
                writeQuota(cpus: budget.cpus, in: directory, v1: true, logger: logger)
            }
            let memory = session["memory"]!, cpu = session["cpuacct"]!, pids = session["pids"]!
            try writeLimit(memory + "/memory.limit_in_bytes", "\(budget.memoryBytes)", controller: "memory")
            try writeLimit(pids + "/pids.max", "\(budget.pids)", controller: "pids")
            counters.cpu = try counter(cpu + "/cpuacct.usage", controller: "cpuacct")
            counters.cpuInNanoseconds = true
            counters.peak = CgroupFile.open(memory + "/memory.max_usage_in_bytes", writable: true)
            counters.peakResettable = counters.peak != nil
            if counters.peak == nil { counters.peak = try counter(memory + "/memory.max_usage_in_bytes", controller: "memory") }
            counters.current = try counter(memory + "/memory.usage_in_bytes", controller: "memory")
            counters.oom = try counter(memory + "/memory.oom_control", controller: "memory")
            counters.memoryFailures = try counter(memory + "/memory.failcnt", controller: "memory")
            counters.pidsEvents = try counter(pids + "/pids.events", controller: "pids")
            counters.pidsCurrent = try counter(pids + "/pids.current", controller: "pids")
            return Cgroup(name: name, directories: directories, killFile: nil, counters: counters, logger: logger)
        } catch {
            counters.all.forEach { $0.close() }
            directories.reversed().forEach { _ = rmdir($0) }
            throw error
        }
    }

    /// The session's directory in the v1 cpu hierarchy (made unless it is the cpuacct one,
    /// co-mounted), or nil, logged, where there is none to make.
    private static func quotaDirectoryV1(
        name: String, own: [String: String], made directories: inout [String], logger: Logger?
    ) -> String? {
        guard let base = own[CgroupLayout.v1QuotaController] else {
            withoutQuota("the v1 cpu controller is not mounted or this process is not in it", logger: logger)
            return nil
        }
        let directory = base + "/" + name
        if directories.contains(directory) { return directory }
        do throws(SandboxError) {
            try makeDirectory(directory, controller: CgroupLayout.v1QuotaController)
        } catch {
            withoutQuota("\(error)", logger: logger)
            return nil
        }
        directories.append(directory)
        return directory
    }

    /// Writes the CPU quota: `cpus` periods of run time per period, for all the session's
    /// threads together. Where it cannot be written the session runs without it.
    private static func writeQuota(cpus: Int, in directory: String, v1: Bool, logger: Logger?) {
        let period = cpuPeriodMicroseconds, quota = cpus * cpuPeriodMicroseconds
        let files = v1 ? [("cpu.cfs_period_us", "\(period)"), ("cpu.cfs_quota_us", "\(quota)")]
                       : [("cpu.max", "\(quota) \(period)")]
        do throws(SandboxError) {
            for (file, value) in files { try writeLimit(directory + "/" + file, value, controller: "cpu") }
        } catch {
            // v1 refuses a child's quota above its parent's; the parent's then holds the session.
            let why = v1 && error.errno == EINVAL
                ? "\(error) (a v1 quota may not exceed the one of the kernel's own cgroup, which still holds)" : "\(error)"
            withoutQuota(why, logger: logger)
        }
    }

    private static func withoutQuota(_ why: String, logger: Logger?) {
        guard let logger, !quotaWarned.exchange(true, ordering: .relaxed) else { return }
        logger.warning("sessions run without a CPU quota: work a cell leaves running may keep every core busy",
                       metadata: ["reason": "\(why)"])
    }

    private static func createV2(
        name: String, budget: ResourceBudget, own: String, logger: Logger?
    ) throws(SandboxError) -> Cgroup {
        // After the first session the kernel already sits in its leaf: start from its parent.
        let suffix = "/" + leafName
        let base = own.hasSuffix(suffix) ? String(own.dropLast(suffix.count)) : own
        try delegateControllers(base: base, logger: logger)

        let directory = base + "/" + name
        try makeDirectory(directory, controller: "v2")
        var counters = Counters()
        do throws(SandboxError) {
            try writeLimit(directory + "/memory.max", "\(budget.memoryBytes)", controller: "memory")
            if CgroupFile.exists(directory + "/memory.swap.max") {
                try writeLimit(directory + "/memory.swap.max", "0", controller: "memory")
            }
            try writeLimit(directory + "/pids.max", "\(budget.pids)", controller: "pids")
            if CgroupFile.exists(directory + "/cpu.max") {
                writeQuota(cpus: budget.cpus, in: directory, v1: false, logger: logger)
            } else {
                withoutQuota("\(directory)/cpu.max is missing: the cpu controller is not enabled for it", logger: logger)
            }
            counters.cpu = try counter(directory + "/cpu.stat", controller: "cpu")
            // memory.peak: Linux 5.19+, resettable through its descriptor since 6.12.
            counters.peak = CgroupFile.open(directory + "/memory.peak", writable: true)
            counters.peakResettable = counters.peak != nil
            if counters.peak == nil { counters.peak = CgroupFile.open(directory + "/memory.peak") }
            counters.current = try counter(directory + "/memory.current", controller: "memory")
            counters.oom = try counter(directory + "/memory.events", controller: "memory")
            counters.pidsEvents = try counter(directory + "/pids.events", controller: "pids")
            counters.pidsCurrent = try counter(directory + "/pids.current", controller: "pids")
            return Cgroup(name: name, directories: [directory], killFile: directory + "/cgroup.kill",
                          counters: counters, logger: logger)
        } catch {
            counters.all.forEach { $0.close() }
            _ = rmdir(directory)
            throw error
        }
    }

    /// Makes memory, cpu and pids available to cgroups beneath `base`; cpu only where `base`
    /// has it (it holds the CPU quota alone; `cpu.stat` is there without it). A v2 cgroup
    /// that holds processes cannot delegate controllers, so the kernel first moves into the
    /// leaf `base/kernel`.
    private static func delegateControllers(base: String, logger: Logger?) throws(SandboxError) {
        let available = words(try CgroupFile.read(base + "/cgroup.controllers"))
        let wanted = ["memory", "cpu", "pids"].filter { $0 != "cpu" || available.contains($0) }
        for controller in wanted where !available.contains(controller) {
            throw SandboxError(.cgroup, errno: ENOENT, detail: "the v2 controller '\(controller)' is not available in \(base)"
                + " (delegate it to the kernel's cgroup, e.g. systemd Delegate=yes)")
        }
        let enabled = words(try CgroupFile.read(base + "/cgroup.subtree_control"))
        let missing = wanted.filter { !enabled.contains($0) }
        if missing.isEmpty { return }

        let me = getpid()
        if CgroupFile.pids(base + "/cgroup.procs").contains(me) {
            let leaf = base + "/" + leafName
            try makeDirectory(leaf, controller: "v2", existingIsFine: true)
            try CgroupFile.write(leaf + "/cgroup.procs", "\(me)")
            logger?.info("moved the kernel process into \(leaf) so that \(base) can delegate controllers")
        }
        do throws(SandboxError) {
            try CgroupFile.write(base + "/cgroup.subtree_control", missing.map { "+" + $0 }.joined(separator: " "))
        } catch where error.errno == EBUSY {
            throw SandboxError(.cgroup, errno: EBUSY, detail: "enabling \(missing.joined(separator: ", ")) in \(base)"
                + " (other processes share the kernel's cgroup; start the kernel in a cgroup of its own)")
        }
    }

    private static func makeDirectory(_ path: String, controller: String, existingIsFine: Bool = false) throws(SandboxError) {
        if mkdir(path, 0o755) == 0 { return }
        let err = errno
        // A leftover from a kernel that died is reused if nothing runs in it.
        if err == EEXIST && (existingIsFine || CgroupFile.pids(path + "/cgroup.procs").isEmpty) { return }
        let what = err == EEXIST ? "it exists and has processes in it" : "is the cgroup writable by the kernel?"
        throw SandboxError(.cgroup, errno: err, detail: "creating \(path) for the \(controller) controller; \(what)")
    }

    private static func writeLimit(_ path: String, _ value: String, controller: String) throws(SandboxError) {
        guard CgroupFile.exists(path) else {
            throw SandboxError(.cgroup, errno: ENOENT, detail: "\(path) is missing: is the \(controller) controller enabled?")
        }
        try CgroupFile.write(path, value)
    }

    private static func counter(_ path: String, controller: String) throws(SandboxError) -> CgroupFile {
        guard let file = CgroupFile.open(path) else {
            throw SandboxError(.cgroup, errno: errno, detail: "opening \(path) (\(controller) controller)")
        }
        return file
    }

    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }
}
