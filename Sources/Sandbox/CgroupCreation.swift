import Logging
#if canImport(Glibc)
import Glibc
#endif

extension Cgroup {
    /// Creates the session's cgroup `name` beneath the kernel's own cgroup and writes the
    /// budget's limits (memory, with no swap where the kernel lets us say so, and pids).
    /// Throws a `.cgroup` error naming the controller or file that is missing or not
    /// writable; the caller may then run without a cgroup, saying so. Nothing is left
    /// behind on failure.
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

    /// Makes memory, cpu and pids available to cgroups beneath `base`. A v2 cgroup that
    /// holds processes cannot delegate controllers, so the kernel first moves into the
    /// leaf `base/kernel`.
    private static func delegateControllers(base: String, logger: Logger?) throws(SandboxError) {
        let wanted = ["memory", "cpu", "pids"]
        let available = words(try CgroupFile.read(base + "/cgroup.controllers"))
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
