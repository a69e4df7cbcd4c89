import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// `CgroupSweeper.removeStale` on a directory tree laid out like cgroupfs. The removal itself
/// is recorded rather than done: rmdir works on a cgroup with its interface files but not on a
/// plain directory holding them.
struct CgroupSweeperTests {
    /// A session cgroup `path` (relative to the tree), its `cgroup.procs` holding `procs`
    /// (none: no such file) and last changed `age` seconds ago.
    func session(_ tree: TempTree, _ path: String, procs: String? = "", age: TimeInterval = 3600) {
        if let procs { tree.write(path + "/cgroup.procs", procs) } else { tree.write(path + "/other", "") }
        let stamp = Date().addingTimeInterval(-age)
        try! FileManager.default.setAttributes([.modificationDate: stamp], ofItemAtPath: tree.root + "/" + path)
    }

    func sweep(_ layout: CgroupLayout, succeeding: Bool = true) -> (count: Int, removed: [String]) {
        var removed: [String] = []
        let count = CgroupSweeper.removeStale(layout: layout) { path in
            removed.append(path)
            return succeeding
        }
        return (count, removed.sorted())
    }

    @Test func onlyOldEmptySessionCgroupsAreRemoved() {
        let tree = TempTree()
        defer { tree.destroy() }
        session(tree, "own/ghcbox-stale")
        session(tree, "own/ghcbox-young", age: 5)              // may be about to receive its jail
        session(tree, "own/ghcbox-busy", procs: "4242\n")       // still has processes
        session(tree, "own/ghcbox-plain", procs: nil)           // not a cgroup
        session(tree, "own/neighbour-stale")                     // not ghcbox's
        let (count, removed) = sweep(.v2(tree.root + "/own"))
        #expect(removed == [tree.root + "/own/ghcbox-stale"])
        #expect(count == 1)
    }

    @Test func aKernelInItsLeafAlsoSweepsBesideIt() {
        let tree = TempTree()
        defer { tree.destroy() }
        tree.write("own/kernel/cgroup.procs", "\(getpid())\n")
        session(tree, "own/ghcbox-a")
        session(tree, "own/kernel/ghcbox-b")
        let (count, removed) = sweep(.v2(tree.root + "/own/kernel"))
        #expect(removed == [tree.root + "/own/ghcbox-a", tree.root + "/own/kernel/ghcbox-b"])
        #expect(count == 2)
    }

    @Test func v1SweepsEachHierarchyOnce() {
        let tree = TempTree()
        defer { tree.destroy() }
        session(tree, "memory/ghcbox-m")
        session(tree, "cpu/ghcbox-c")
        let layout = CgroupLayout.v1(["memory": tree.root + "/memory", "cpu": tree.root + "/cpu", "cpuacct": tree.root + "/cpu"])
        let (count, removed) = sweep(layout)
        #expect(removed == [tree.root + "/cpu/ghcbox-c", tree.root + "/memory/ghcbox-m"])
        #expect(count == 2)
    }

    @Test func failedRemovalsAreNotCounted() {
        let tree = TempTree()
        defer { tree.destroy() }
        session(tree, "own/ghcbox-stale")
        let (count, removed) = sweep(.v2(tree.root + "/own"), succeeding: false)
        #expect(removed.count == 1)
        #expect(count == 0)
    }

    @Test func noHierarchyNoSweep() {
        #expect(sweep(.unavailable("none")).count == 0)
    }
}
