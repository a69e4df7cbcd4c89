import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A session's cgroup, beneath the kernel process's own cgroup, over either layout: on v1
/// one directory per hierarchy (memory, cpuacct, pids, and cpu for the quota), on v2 one
/// directory. It limits memory, processes and the CPUs kept busy at once, counts CPU, peak
/// memory, memory-limit and OOM events and refused forks, and is removed with everything
/// in it by `remove()` (or, as a safety net, when released). A removed cgroup goes on
/// reporting its last counters, so a cell whose session was replaced still learns what its
/// processes ran into.
///
/// Put the jail in it with a `CgroupSpawner` (pid 1 is born inside on v1) or with
/// `SandboxSpec.cgroupProcs = cgroup.procsFiles` (pid 1 joins before it goes on): either
/// way every process of the session is accounted from the start.
public final class Cgroup: Sendable {
    public let name: String
    /// The session's directories (one on v2; one per distinct v1 hierarchy).
    public let directories: [String]
    /// The `cgroup.procs` file of each directory, for `SandboxSpec.cgroupProcs`.
    public var procsFiles: [String] { directories.map { $0 + "/cgroup.procs" } }
    /// `cgroup.kill` (v2, Linux 5.14+), which kills every process at once.
    private let killFile: String?
    private let counters: Counters
    private let state = Mutex(State())
    private let logger: Logger?

    /// The open counter files; `nil` where the kernel has no such file.
    struct Counters: Sendable {
        var cpu: CgroupFile?
        /// True for `cpuacct.usage` (ns), false for `cpu.stat`'s `usage_usec`.
        var cpuInNanoseconds = false
        var peak: CgroupFile?
        /// The peak file can be reset by writing to it (v1 always; v2 since Linux 6.12).
        var peakResettable = false
        var current: CgroupFile?
        /// `memory.oom_control` (v1) or `memory.events` (v2), both with an `oom_kill N` line;
        /// v2's also has the `max` and `oom` event counts.
        var oom: CgroupFile?
        /// v1's `memory.failcnt`; nil on v2, whose `memory.events` counts the same as `max`.
        var memoryFailures: CgroupFile?
        var pidsEvents: CgroupFile?
        var pidsCurrent: CgroupFile?

        var all: [CgroupFile] { [cpu, peak, current, oom, memoryFailures, pidsEvents, pidsCurrent].compactMap { $0 } }
    }

    struct State {
        var removed = false
        /// Peak kept by sampling `current` when the kernel's peak cannot be reset.
        var sampledPeak: UInt64 = 0
        /// Tasks in the cgroup that are not the session's (a `CgroupSpawner`'s thread).
        var foreignTasks: UInt64 = 0
        /// Whether the kernel's peak file still counts from the session's start.
        var kernelPeakValid = true
        /// The reading taken just before the directories went (what `usage()` answers after).
        var final = CgroupUsage()
    }

    init(name: String, directories: [String], killFile: String?, counters: Counters, logger: Logger?) {
        self.name = name
        self.directories = directories
        self.killFile = killFile
        self.counters = counters
        self.logger = logger
    }

    deinit {
        do throws(SandboxError) {
            try remove()
        } catch {
            logger?.error("cgroup \(name) left behind: \(error)")
        }
    }

    // MARK: counters

    /// The counters now: a `pread` of six or seven small files, no allocation. After
    /// `remove()`, the last reading before the cgroup went.
    public func usage() -> CgroupUsage {
        state.withLock { state in state.removed ? state.final : read(&state) }
    }

    private func read(_ state: inout State) -> CgroupUsage {
        var usage = CgroupUsage()
        if let cpu = counters.cpu {
            if counters.cpuInNanoseconds {
                usage.cpuSeconds = Double(cpu.number() ?? 0) / 1e9
            } else {
                usage.cpuSeconds = Double(cpu.number(after: "usage_usec") ?? 0) / 1e6
            }
        }
        usage.memoryCurrentBytes = counters.current?.number() ?? 0
        state.sampledPeak = max(state.sampledPeak, usage.memoryCurrentBytes)
        if let peak = counters.peak, counters.peakResettable || state.kernelPeakValid {
            usage.memoryPeakBytes = max(peak.number() ?? 0, usage.memoryCurrentBytes)
        } else {
            usage.memoryPeakBytes = state.sampledPeak
        }
        if let events = counters.oom?.scan({ bytes in
            (CgroupFile.number(in: bytes, after: "max"), CgroupFile.number(in: bytes, after: "oom"),
             CgroupFile.number(in: bytes, after: "oom_kill"))
        }) {
            usage.memoryLimitHits = events.0 ?? 0
            usage.oomEvents = events.1 ?? 0
            usage.oomKills = events.2 ?? 0
        }
        if let failures = counters.memoryFailures { usage.memoryLimitHits = failures.number() ?? 0 }
        usage.pidsEventsMax = counters.pidsEvents?.number(after: "max") ?? 0
        let pids = counters.pidsCurrent?.number() ?? 0
        usage.currentPids = pids > state.foreignTasks ? pids - state.foreignTasks : 0
        return usage
    }

    /// Starts the peak over from the current usage (before each cell). Where the kernel
    /// cannot reset its peak (v2 before Linux 6.12, or no `memory.peak`), the peak is the
    /// highest `memory.current` seen by `usage()` since: poll often enough to catch it.
    public func resetPeak() {
        state.withLock { state in
            guard !state.removed else { return }
            let current = counters.current?.number() ?? 0
            state.sampledPeak = current
            if let peak = counters.peak, counters.peakResettable, peak.write("0\n") { return }
            state.kernelPeakValid = false
        }
    }

    /// Notes a task that sits in the cgroup without being the session's, so that
    /// `currentPids` counts the session's own.
    func countForeignTask() {
        state.withLock { $0.foreignTasks += 1 }
    }

    // MARK: teardown

    /// Kills every process in the session's cgroup and waits (up to 2 s) until none is left.
    /// The kernel process itself is never in it, but is skipped all the same.
    public func killAll() {
        if let killFile, CgroupFile.exists(killFile) {
            try? CgroupFile.write(killFile, "1")
        }
        let me = getpid()
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            var pids = Set<pid_t>()
            for file in procsFiles { pids.formUnion(CgroupFile.pids(file)) }
            pids.remove(me)
            if pids.isEmpty { return }
            if ContinuousClock.now > deadline {
                logger?.warning("cgroup \(name): processes \(pids.sorted()) survive SIGKILL")
                return
            }
            // Repeat: a process may fork between the read and the kill.
            for pid in pids where pid > 1 { _ = kill(pid, SIGKILL) }
            usleep(2_000)
        }
    }

    /// Kills everything in the cgroup and removes its directories; idempotent. A directory
    /// that stays busy (a process not yet gone) is retried for up to 3 s, then reported.
    public func remove() throws(SandboxError) {
        try state.withLock { (state: inout State) throws(SandboxError) in
            guard !state.removed else { return }
            killAll()
            // Read while the files still answer: a cell whose GHCi died learns from it why.
            state.final = read(&state)
            let deadline = ContinuousClock.now + .seconds(3)
            for directory in directories.reversed() {
                while rmdir(directory) != 0 {
                    let err = errno
                    if err == ENOENT { break }
                    guard err == EBUSY || err == EINTR, ContinuousClock.now < deadline else {
                        throw SandboxError(.cgroup, errno: err, detail: "removing \(directory)")
                    }
                    if err == EBUSY { killAll() }
                    usleep(10_000)
                }
            }
            counters.all.forEach { $0.close() }
            state.removed = true
            logger?.debug("cgroup \(name) removed")
        }
    }
}
