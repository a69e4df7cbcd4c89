import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// The session cgroup for real, on this machine's v1 controllers, with jails in it.
/// Needs root (or a delegated, writable cgroup); says why when it cannot run.
@Suite(.serialized) struct CgroupV1Tests {
    /// The detected v1 layout, or nil after recording why these tests cannot run here.
    func realV1() -> CgroupLayout? {
        let layout = CgroupLayout.detect()
        guard case .v1(let own) = layout else {
            Issue.record("cannot test cgroup v1 for real: this host's layout is \(layout)")
            return nil
        }
        for controller in CgroupLayout.v1Controllers {
            guard let dir = own[controller], access(dir, W_OK) == 0 else {
                Issue.record("cannot test cgroup v1 for real: the \(controller) cgroup \(own[controller] ?? "(none)") is not writable (run as root)")
                return nil
            }
        }
        return layout
    }

    func name(_ what: String) -> String { "ghcbox-test-\(getpid())-\(what)" }

    /// Every directory of the cgroup is gone from the filesystem.
    func expectGone(_ cgroup: Cgroup, sourceLocation: SourceLocation = #_sourceLocation) {
        for dir in cgroup.directories {
            #expect(access(dir, F_OK) != 0 && errno == ENOENT, "\(dir) is left behind", sourceLocation: sourceLocation)
        }
    }

    func spawnInJail(_ script: String, cgroup: Cgroup) throws -> ChildProcess {
        var spec = try defaultSpec()
        spec.cgroupProcs = cgroup.procsFiles
        let child = try JailSpawner.spawn(spec: spec, executable: "/bin/sh", arguments: ["-c", script])
        child.closeStdin()
        return child
    }

    @Test func theJailLandsInTheSessionCgroupAndRemoveLeavesNothing() throws {
        guard let layout = realV1(), case .v1(let own) = layout else { return }
        let cgroup = try Cgroup.create(name: name("join"), budget: .builtIn, layout: layout)
        #expect(cgroup.directories.count == Set(own.values).count, "one per hierarchy, the cpu one included")
        for (controller, dir) in own {
            #expect(cgroup.directories.contains(dir + "/" + name("join")), "\(controller)")
        }
        #expect(try CgroupFile.read(own["memory"]! + "/" + name("join") + "/memory.limit_in_bytes") == "\(2048 << 20)\n")
        #expect(try CgroupFile.read(own["pids"]! + "/" + name("join") + "/pids.max") == "256\n")

        let child = try spawnInJail("echo ready; exec sleep 60", cgroup: cgroup)
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        let got = collect(child, seconds: 30) { $0.stdout.contains("ready") }
        #expect(got.stdout == "ready\n", "\(got.stderr)")

        let membership = CgroupProbe.membership(try CgroupFile.read("/proc/\(child.pid)/cgroup"))
        let mine = CgroupProbe.membership(try CgroupFile.read("/proc/self/cgroup"))
        for controller in own.keys {
            let parent = mine.v1[controller]!
            #expect(membership.v1[controller] == (parent == "/" ? "" : parent) + "/" + name("join"), "\(controller): \(membership.v1)")
        }
        for file in cgroup.procsFiles {
            #expect(CgroupFile.pids(file).contains(child.pid), "\(file)")
        }
        let usage = cgroup.usage()
        #expect(usage.currentPids >= 2, "pid 1 and sleep: \(usage)")
        #expect(usage.memoryCurrentBytes > 0)

        try cgroup.remove()
        // The jail's pid 1 dies of SIGKILL, or, when the kill reached `sleep` first, exits
        // 128 + 9 as it reports its child's death (seen once on a loaded machine).
        #expect([.signalled(SIGKILL), .exited(128 + SIGKILL)].contains(child.wait()))
        expectGone(cgroup)
        try cgroup.remove()
    }

    @Test func aCgroupSpawnersJailIsBornInTheCgroupAndReleaseLeavesNothing() throws {
        guard let layout = realV1() else { return }
        let cgroup = try Cgroup.create(name: name("born"), budget: .builtIn, layout: layout)
        let spawner = CgroupSpawner(cgroup: cgroup)
        var spec = try defaultSpec()
        spec.cgroupProcs = cgroup.procsFiles  // ignored once the thread has joined: nothing left to move
        let child = try spawner.spawn(spec: spec, executable: "/bin/sh", arguments: ["-c", "echo ready; exec sleep 60"])
        child.closeStdin()
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        let got = collect(child, seconds: 30) { $0.stdout.contains("ready") }
        #expect(got.stdout == "ready\n", "\(got.stderr)")

        // The spawner thread sits in every hierarchy's `tasks`, the kernel process itself in none.
        let me = getpid()
        for directory in cgroup.directories {
            let tasks = CgroupFile.pids(directory + "/tasks")
            #expect(tasks.contains(child.pid), "\(directory): \(tasks)")
            #expect(tasks.contains { $0 != me && access("/proc/self/task/\($0)", F_OK) == 0 }, "no spawner thread in \(directory): \(tasks)")
            #expect(!tasks.contains(me), "the kernel's main thread moved into \(directory)")
        }
        // The thread does not take a process from the budget, nor count as one of the session's.
        let pidsDirectory = cgroup.directories.first { CgroupFile.exists($0 + "/pids.max") }!
        let inCgroup = try #require(Int(try CgroupFile.read(pidsDirectory + "/pids.current").split(separator: "\n")[0]))
        #expect(inCgroup >= 3, "spawner thread, pid 1 and sleep")
        #expect(cgroup.usage().currentPids == UInt64(inCgroup - 1), "\(cgroup.usage())")
        #expect(try CgroupFile.read(pidsDirectory + "/pids.max") == "\(ResourceBudget.builtIn.pids + 1)\n")

        child.signal(SIGKILL)
        child.wait()
        try spawner.release()
        expectGone(cgroup)
    }

    @Test func aMemoryHogIsOOMKilledAndCounted() throws {
        guard let layout = realV1() else { return }
        var budget = ResourceBudget.builtIn
        budget.memoryMB = 64
        let cgroup = try Cgroup.create(name: name("oom"), budget: budget, layout: layout)
        defer { try? cgroup.remove(); expectGone(cgroup) }
        #expect(cgroup.usage().oomKills == 0)

        // tail keeps everything after the last newline: there is none, so it keeps 300 MB.
        let child = try spawnInJail("head -c 300M /dev/zero | tail >/dev/null; echo status $?", cgroup: cgroup)
        let got = collect(child, seconds: 120)
        child.wait()
        child.closeDescriptors()
        #expect(got.stdout == "status 137\n", "\(got.stdout) \(got.stderr)")
        let usage = cgroup.usage()
        #expect(usage.oomKills >= 1, "\(usage)")
        #expect(usage.memoryLimitHits >= 1, "memory.failcnt: \(usage)")
        #expect(usage.oomEvents == 0, "v1 counts only kills: \(usage)")
        #expect(usage.memoryPeakBytes > 48 << 20 && usage.memoryPeakBytes <= 64 << 20, "\(usage)")

        cgroup.resetPeak()
        #expect(cgroup.usage().memoryPeakBytes < 16 << 20, "peak starts over: \(cgroup.usage())")
    }

    @Test func aForkLoopHitsThePidsLimit() throws {
        guard let layout = realV1() else { return }
        var budget = ResourceBudget.builtIn
        budget.pids = 16
        let cgroup = try Cgroup.create(name: name("pids"), budget: budget, layout: layout)
        defer { try? cgroup.remove(); expectGone(cgroup) }

        let child = try spawnInJail("i=0; while [ $i -lt 40 ]; do sleep 60 & i=$((i+1)); done; echo forked", cgroup: cgroup)
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        let got = collect(child, seconds: 60) { $0.stdout.contains("forked") || $0.stderr.contains("fork") }
        let usage = cgroup.usage()
        #expect(usage.pidsEventsMax >= 1, "\(usage) \(got.stderr)")
        #expect(usage.currentPids <= 16, "\(usage)")
        #expect(usage.memoryLimitHits == 0 && usage.oomKills == 0, "\(usage)")

        try cgroup.remove()
        expectGone(cgroup)
        // Gone, it answers with its last counters: what a dead session ran into stays readable.
        let last = cgroup.usage()
        #expect(last.pidsEventsMax == usage.pidsEventsMax, "\(last)")
    }

    @Test func aBusyLoopUsesCPUTime() throws {
        guard let layout = realV1() else { return }
        let cgroup = try Cgroup.create(name: name("cpu"), budget: .builtIn, layout: layout)
        defer { try? cgroup.remove(); expectGone(cgroup) }
        let before = cgroup.usage().cpuSeconds

        let child = try spawnInJail("i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo spun", cgroup: cgroup)
        let got = collect(child, seconds: 120)
        child.wait()
        child.closeDescriptors()
        #expect(got.stdout == "spun\n", "\(got.stderr)")
        let after = cgroup.usage().cpuSeconds
        #expect(after - before > 0.2, "a shell loop of 300000 rounds took \(after - before) s of CPU")
    }

    @Test func twoSpinnersInAOneCPUSessionAreHeldToOneCPU() throws {
        guard let layout = realV1(), case .v1(let own) = layout else { return }
        guard let cpuParent = own[CgroupLayout.v1QuotaController], access(cpuParent, W_OK) == 0 else {
            Issue.record("cannot test the CPU quota: no writable v1 cpu cgroup here (\(own))")
            return
        }
        var budget = ResourceBudget.builtIn
        budget.cpus = 1
        let cgroup = try Cgroup.create(name: name("quota"), budget: budget, layout: layout)
        defer { try? cgroup.remove(); expectGone(cgroup) }
        let directory = cpuParent + "/" + name("quota")
        #expect(try CgroupFile.read(directory + "/cpu.cfs_quota_us") == "100000\n")
        #expect(try CgroupFile.read(directory + "/cpu.cfs_period_us") == "100000\n")

        let child = try spawnInJail("spin() { while :; do :; done; }; spin & spin & echo ready; wait", cgroup: cgroup)
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        let got = collect(child, seconds: 30) { $0.stdout.contains("ready") }
        #expect(got.stdout == "ready\n", "\(got.stderr)")
        // Wait for 20 periods of bandwidth accounting, then compare the CPU used with what
        // the quota grants over those periods (on a busy host the spinners may get less: the
        // bound holds either way).
        var stat: [String: UInt64] = [:]
        var used = 0.0
        for _ in 0..<600 where (stat["nr_periods"] ?? 0) < 20 {
            usleep(100_000)
            // CPU first: the periods read after it cover all of it.
            used = cgroup.usage().cpuSeconds
            stat = Self.numbers(try CgroupFile.read(directory + "/cpu.stat"))
        }
        let periods = Double(stat["nr_periods"] ?? 0)
        #expect(periods >= 20, "\(stat)")
        // A period's quota is 0.1 s; allow one period more and a tenth for accounting slack.
        #expect(used <= (periods + 1) * 0.1 * 1.1, "\(used) s of CPU over \(periods) periods of one CPU: \(stat)")
    }

    /// `key N` lines of a cgroup file.
    static func numbers(_ text: String) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = UInt64(parts[1]) { result[String(parts[0])] = value }
        }
        return result
    }

    @Test func killAllEndsEveryProcessOfTheSession() throws {
        guard let layout = realV1() else { return }
        let cgroup = try Cgroup.create(name: name("kill"), budget: .builtIn, layout: layout)
        defer { try? cgroup.remove(); expectGone(cgroup) }
        let child = try spawnInJail("sleep 60 & sleep 60 & echo ready; wait", cgroup: cgroup)
        defer { child.closeDescriptors() }
        _ = collect(child, seconds: 30) { $0.stdout.contains("ready") }
        #expect(cgroup.usage().currentPids >= 4)

        cgroup.killAll()
        child.wait()
        #expect(cgroup.procsFiles.allSatisfy { CgroupFile.pids($0).isEmpty })
        #expect(cgroup.usage().currentPids == 0)
    }

    /// This hybrid host's v2 hierarchy has no controllers to give: `create` says which.
    @Test func theEmptyV2HierarchyIsRefusedByName() throws {
        let unified = "/sys/fs/cgroup/unified"
        guard let controllers = try? CgroupFile.read(unified + "/cgroup.controllers") else {
            Issue.record("cannot check: \(unified) is not mounted here")
            return
        }
        guard !controllers.contains("memory") else { return } // a host with a real v2: nothing to refuse
        do {
            let cgroup = try Cgroup.create(name: name("v2"), budget: .builtIn, layout: .v2(unified))
            try cgroup.remove()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("the v2 controller 'memory' is not available in \(unified)"), "\(error)")
        }
        #expect(access(unified + "/" + name("v2"), F_OK) != 0)
    }
}
