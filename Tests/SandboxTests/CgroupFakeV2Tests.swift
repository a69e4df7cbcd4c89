import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// The v2 path against a directory tree that mimics cgroupfs: what `create` writes, what
/// `usage` reads. (This machine's v2 hierarchy has no controllers; see CgroupV1Tests for
/// the real thing.)
struct CgroupFakeV2Tests {
    /// The kernel's own cgroup `own/` with the kernel in it, and what the kernel would
    /// create for a session `name` (mkdir of an existing, empty directory is accepted).
    func makeTree(controllers: String = "cpuset cpu io memory hugetlb pids rdma\n", sessions: [String] = ["s1"],
                  peak: Bool = true, cpuMax: Bool = true) -> TempTree {
        let tree = TempTree()
        tree.write("own/cgroup.controllers", controllers)
        tree.write("own/cgroup.subtree_control", "")
        tree.write("own/cgroup.procs", "\(getpid())\n")
        tree.write("own/kernel/cgroup.procs", "")
        for name in sessions {
            tree.write("own/\(name)/cgroup.procs", "")
            tree.write("own/\(name)/cgroup.kill", "")
            tree.write("own/\(name)/memory.max", "")
            tree.write("own/\(name)/memory.swap.max", "")
            tree.write("own/\(name)/memory.current", "1000\n")
            if peak { tree.write("own/\(name)/memory.peak", "5000\n") }
            tree.write("own/\(name)/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\noom_group_kill 0\n")
            if cpuMax { tree.write("own/\(name)/cpu.max", "max 100000\n") }
            tree.write("own/\(name)/cpu.stat", "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 0\n")
            tree.write("own/\(name)/pids.max", "")
            tree.write("own/\(name)/pids.current", "7\n")
            tree.write("own/\(name)/pids.events", "max 5\n")
        }
        return tree
    }

    /// Deletes the interface files the way kernfs would hide them, so rmdir can work.
    func emptySession(_ tree: TempTree, _ name: String) {
        for file in ["cgroup.procs", "cgroup.kill", "memory.max", "memory.swap.max", "memory.current", "memory.peak",
                     "memory.events", "cpu.max", "cpu.stat", "pids.max", "pids.current", "pids.events"] {
            tree.remove("own/\(name)/\(file)")
        }
    }

    @Test func createDelegatesControllersAndWritesLimits() throws {
        let tree = makeTree()
        defer { tree.destroy() }
        var budget = ResourceBudget.builtIn
        budget.memoryMB = 512
        budget.pids = 100
        budget.cpus = 2
        let cgroup = try Cgroup.create(name: "s1", budget: budget, layout: .v2(tree.root + "/own"))

        #expect(tree.read("own/kernel/cgroup.procs") == "\(getpid())", "the kernel moves into its leaf")
        #expect(tree.read("own/cgroup.subtree_control") == "+memory +cpu +pids")
        #expect(tree.read("own/s1/memory.max") == "\(512 << 20)")
        #expect(tree.read("own/s1/memory.swap.max") == "0")
        #expect(tree.read("own/s1/pids.max") == "100")
        #expect(tree.read("own/s1/cpu.max") == "200000 100000", "2 CPUs: twice the period per period")
        #expect(cgroup.procsFiles == [tree.root + "/own/s1/cgroup.procs"])
        #expect(cgroup.directories == [tree.root + "/own/s1"])

        cgroup.killAll()
        #expect(tree.read("own/s1/cgroup.kill") == "1")
        emptySession(tree, "s1")
        try cgroup.remove()
        #expect(!tree.exists("own/s1"))
        try cgroup.remove() // idempotent
        // A removed cgroup answers with its last reading, not zeros.
        #expect(cgroup.usage().oomKills == 2 && cgroup.usage().pidsEventsMax == 5 && cgroup.usage().cpuSeconds == 1.5)
    }

    @Test func usageReadsTheCounters() throws {
        let tree = makeTree()
        defer { tree.destroy() }
        let cgroup = try Cgroup.create(name: "s1", budget: .builtIn, layout: .v2(tree.root + "/own"))
        defer { emptySession(tree, "s1"); try? cgroup.remove() }

        var usage = cgroup.usage()
        #expect(usage.cpuSeconds == 1.5)
        #expect(usage.memoryPeakBytes == 5000)
        #expect(usage.memoryCurrentBytes == 1000)
        #expect(usage.memoryLimitHits == 3)
        #expect(usage.oomEvents == 1)
        #expect(usage.oomKills == 2)
        #expect(usage.pidsEventsMax == 5)
        #expect(usage.currentPids == 7)

        // Counters stay open and are re-read in place.
        tree.write("own/s1/cpu.stat", "usage_usec 2250000\nuser_usec 2000000\n")
        tree.write("own/s1/memory.events", "low 0\nhigh 0\nmax 9\noom 4\noom_kill 3\n")
        tree.write("own/s1/pids.events", "max 6\n")
        usage = cgroup.usage()
        #expect(usage.cpuSeconds == 2.25)
        #expect(usage.memoryLimitHits == 9)
        #expect(usage.oomEvents == 4)
        #expect(usage.oomKills == 3)
        #expect(usage.pidsEventsMax == 6)

        // A resettable memory.peak is reset by writing to it through the same descriptor.
        cgroup.resetPeak()
        #expect(tree.read("own/s1/memory.peak")?.hasPrefix("0\n") == true)
        #expect(cgroup.usage().memoryPeakBytes == 1000, "never below the current usage")
    }

    @Test func withoutMemoryPeakThePeakIsSampled() throws {
        let tree = makeTree(peak: false)
        defer { tree.destroy() }
        let cgroup = try Cgroup.create(name: "s1", budget: .builtIn, layout: .v2(tree.root + "/own"))
        defer { emptySession(tree, "s1"); try? cgroup.remove() }

        #expect(cgroup.usage().memoryPeakBytes == 1000)
        tree.write("own/s1/memory.current", "300000\n")
        #expect(cgroup.usage().memoryPeakBytes == 300000)
        tree.write("own/s1/memory.current", "2000\n")
        #expect(cgroup.usage().memoryPeakBytes == 300000)
        cgroup.resetPeak()
        #expect(cgroup.usage().memoryPeakBytes == 2000)
    }

    @Test func withoutTheCPUControllerTheSessionRunsWithoutAQuota() throws {
        let tree = makeTree(controllers: "memory pids\n", cpuMax: false)
        defer { tree.destroy() }
        let cgroup = try Cgroup.create(name: "s1", budget: .builtIn, layout: .v2(tree.root + "/own"))
        defer { emptySession(tree, "s1"); try? cgroup.remove() }
        #expect(tree.read("own/cgroup.subtree_control") == "+memory +pids")
        #expect(!tree.exists("own/s1/cpu.max"), "no quota file is made up")
        #expect(cgroup.usage().cpuSeconds == 1.5, "cpu.stat counts without the controller")
    }

    @Test func theSecondSessionStartsFromTheKernelsParent() throws {
        let tree = makeTree(sessions: ["s1", "s2"])
        defer { tree.destroy() }
        tree.write("own/cgroup.subtree_control", "memory cpu pids\n")
        tree.write("own/cgroup.procs", "")
        // /proc/self/cgroup now names the leaf the first session moved the kernel into.
        let cgroup = try Cgroup.create(name: "s2", budget: .builtIn, layout: .v2(tree.root + "/own/kernel"))
        defer { emptySession(tree, "s2"); try? cgroup.remove() }
        #expect(cgroup.directories == [tree.root + "/own/s2"])
        #expect(tree.read("own/cgroup.subtree_control") == "memory cpu pids\n", "nothing to enable")
        #expect(tree.read("own/kernel/cgroup.procs") == "", "the kernel is not moved again")
    }

    @Test func aMissingControllerIsNamed() throws {
        let tree = makeTree(controllers: "cpu memory\n")
        defer { tree.destroy() }
        do {
            _ = try Cgroup.create(name: "s1", budget: .builtIn, layout: .v2(tree.root + "/own"))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .cgroup)
            #expect(error.description.contains("the v2 controller 'pids' is not available"), "\(error)")
        }
    }

    @Test func aSessionCgroupWithProcessesIsNotReused() throws {
        let tree = makeTree()
        defer { tree.destroy() }
        tree.write("own/s1/cgroup.procs", "4242\n")
        do {
            _ = try Cgroup.create(name: "s1", budget: .builtIn, layout: .v2(tree.root + "/own"))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("it exists and has processes in it"), "\(error)")
        }
    }

    @Test func aMissingLimitFileIsNamedAndNothingIsLeft() throws {
        let tree = makeTree(sessions: [])
        defer { tree.destroy() }
        do {
            _ = try Cgroup.create(name: "s1", budget: .builtIn, layout: .v2(tree.root + "/own"))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("memory.max is missing: is the memory controller enabled?"), "\(error)")
        }
        #expect(!tree.exists("own/s1"), "the half-made cgroup is removed")
    }

    /// The files a v1 session `s1` has in each hierarchy, by controller.
    static let v1Files = [
        "memory": ["memory.limit_in_bytes", "memory.max_usage_in_bytes", "memory.usage_in_bytes", "memory.oom_control",
                   "memory.failcnt"],
        "cpuacct": ["cpuacct.usage"], "pids": ["pids.max", "pids.events", "pids.current"],
        "cpu": ["cpu.cfs_period_us", "cpu.cfs_quota_us"],
    ]

    /// Lays out v1 hierarchies (one directory each) with a session `s1` in every one.
    func makeV1Tree(_ controllers: [String]) -> (TempTree, CgroupLayout) {
        let tree = TempTree()
        var own: [String: String] = [:]
        for controller in controllers {
            own[controller] = tree.root + "/" + controller
            tree.write("\(controller)/s1/cgroup.procs", "")
            for file in Self.v1Files[controller]! { tree.write("\(controller)/s1/\(file)", "0\n") }
        }
        return (tree, .v1(own))
    }

    func emptyV1Session(_ tree: TempTree) {
        for (controller, files) in Self.v1Files {
            for file in files + ["cgroup.procs"] { tree.remove("\(controller)/s1/\(file)") }
        }
    }

    @Test func v1WritesTheCPUQuotaInTheCPUHierarchy() throws {
        let (tree, layout) = makeV1Tree(["memory", "cpuacct", "pids", "cpu"])
        defer { tree.destroy() }
        var budget = ResourceBudget.builtIn
        budget.cpus = 3
        let cgroup = try Cgroup.create(name: "s1", budget: budget, layout: layout)
        defer { emptyV1Session(tree); try? cgroup.remove() }
        #expect(tree.read("cpu/s1/cpu.cfs_period_us") == "100000")
        #expect(tree.read("cpu/s1/cpu.cfs_quota_us") == "300000", "3 CPUs: three periods per period")
        #expect(cgroup.directories.contains(tree.root + "/cpu/s1"), "the jail joins the cpu cgroup too")
    }

    @Test func v1WithoutTheCPUHierarchyRunsWithoutAQuota() throws {
        let (tree, layout) = makeV1Tree(["memory", "cpuacct", "pids"])
        defer { tree.destroy() }
        let cgroup = try Cgroup.create(name: "s1", budget: .builtIn, layout: layout)
        defer { emptyV1Session(tree); try? cgroup.remove() }
        #expect(cgroup.directories.count == 3)
        #expect(!tree.exists("cpu"))
    }

    @Test func v1WithAMissingControllerNamesItAndCleansUp() throws {
        let tree = TempTree()
        defer { tree.destroy() }
        tree.write("memory/cgroup.procs", "")
        do {
            _ = try Cgroup.create(name: "s1", budget: .builtIn, layout: .v1(["memory": tree.root + "/memory"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("the v1 controller 'cpuacct' is not mounted"), "\(error)")
        }
        #expect(!tree.exists("memory/s1"))
    }
}
