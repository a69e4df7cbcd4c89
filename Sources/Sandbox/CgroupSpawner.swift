import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// Spawns one session's jail from a thread of its own that sits in the session's cgroup,
/// so the jail's pid 1 is born inside it instead of being moved there.
///
/// Moving a task between cgroups makes the kernel switch its cgroup_threadgroup_rwsem to
/// the slow path first, which waits one RCU grace period: 5 to 25 ms on a 2-core VM,
/// more than the rest of the jail's start together. On cgroup v1 a single thread may
/// join a cgroup through its `tasks` files, so this thread joins as soon as the spawner
/// is made (at kernel start, while the kernel reads its options and binds its sockets),
/// and the clone later inherits the membership for free. The v1 memory controller
/// charges by process, not thread, so the kernel's own memory stays its own; the pids
/// cgroup counts the thread, so its limit is raised by one.
///
/// On v2 a thread cannot leave its process's cgroup, and if joining fails, so the jail's
/// pid 1 joins right after the clone instead (`SandboxSpec.cgroupProcs`), before it goes on.
// Unchecked: `joined` is touched only by jobs on the spawner's own thread.
public final class CgroupSpawner: @unchecked Sendable {
    public let cgroup: Cgroup
    private let thread = SpawnerThread()
    /// Set on the thread by its first job and read only by later jobs on the same thread.
    private var joined = false

    /// Makes the thread and starts its join in the background.
    public init(cgroup: Cgroup) {
        self.cgroup = cgroup
        let taskFiles = cgroup.directories.map { $0 + "/tasks" }
        guard taskFiles.allSatisfy(CgroupFile.exists) else { return }
        thread.submit { [self] in
            let me = "\(csb_gettid())"
            do throws(SandboxError) {
                for file in taskFiles { try CgroupFile.write(file, me) }
                joined = true
                cgroup.makeRoomForOneMoreTask()
            } catch {
                // Leave no half-joined thread behind: the clone joins the cgroup instead.
                for directory in cgroup.directories {
                    let home = directory[..<(directory.lastIndex(of: "/") ?? directory.endIndex)]
                    try? CgroupFile.write(home + "/tasks", me)
                }
            }
        }
    }

    /// Starts the jail from the session's thread (after its join has finished).
    public func spawn(spec: SandboxSpec, executable: String, arguments: [String]) throws(SandboxError) -> ChildProcess {
        try spec.validate()
        return try thread.run { () throws(SandboxError) in
            var spec = spec
            spec.cgroupProcs = joined ? [] : cgroup.procsFiles
            return try JailSpawner.spawnOnCurrentThread(spec: spec, executable: executable, arguments: arguments)
        }
    }

    /// Ends the thread (its jail must be gone: the thread's exit kills it), then removes the cgroup.
    public func release() throws(SandboxError) {
        thread.stop()
        try cgroup.remove()
    }
}

extension Cgroup {
    /// Raises `pids.max` by one (for the spawner thread, which is not the session's).
    fileprivate func makeRoomForOneMoreTask() {
        for directory in directories where CgroupFile.exists(directory + "/pids.max") {
            let file = directory + "/pids.max"
            guard let text = try? CgroupFile.read(file), let limit = Int(text.split(separator: "\n").first ?? "") else { continue }
            try? CgroupFile.write(file, "\(limit + 1)")
            countForeignTask()
        }
    }
}
