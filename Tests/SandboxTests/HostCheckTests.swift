import Testing
@testable import Sandbox

@Suite struct HostCheckTests {
    @Test func rowsCoverTheHostAndNothingBlocksHere() {
        let check = HostCheck(policyPath: policyPath)
        let rows = check.rows()
        let names = rows.map(\.check)
        for expected in ["user namespaces", "seccomp", "tmpfs in a user namespace", "/proc in a user namespace",
                         "seccomp policy", "cgroup layout", "budget: memory", "budget: processes", "budget: CPU",
                         "jail identity", "ghc"] {
            #expect(names.contains(expected), "\(names)")
        }
        #expect(names.contains { $0.hasPrefix("cgroup memory") })
        for row in rows where row.blocking {
            #expect(row.ok, "\(row)")
        }
        #expect(rows.first { $0.check == "ghc" }?.detail.contains("9.") == true)
        #expect(check.firstBlockingProblem(in: rows) == nil)
    }

    /// What the banner and doctor say holds, from the cgroup rows and the Linux version.
    @Test func budgetsFollowTheCgroupsAndTheKernel() {
        func cgroups(_ writable: Bool) -> [HostCheck.Row] {
            ["memory", "cpu", "pids"].map { HostCheck.Row(check: "cgroup \($0) (v2)", ok: writable, detail: "", fix: "", blocking: false) }
        }
        let full = HostCheck.enforcement(cgroupRows: cgroups(true), kernelRelease: "6.1.0-18-amd64")
        #expect(full.summary == "memory: cgroup limit and +RTS -M; processes: cgroup limit; CPU: cgroup counters; wall clock: enforced")
        #expect(HostCheck.budgetRows(full).allSatisfy { $0.ok && !$0.blocking })

        let none = HostCheck.enforcement(cgroupRows: cgroups(false), kernelRelease: "6.1.0-18-amd64")
        #expect(none.summary == "memory: +RTS -M only; processes: RLIMIT_NPROC; CPU: not enforced; wall clock: enforced")
        let rows = Dictionary(uniqueKeysWithValues: HostCheck.budgetRows(none).map { ($0.check, $0) })
        #expect(rows["budget: processes"]?.ok == true, "RLIMIT_NPROC counts per user namespace since 5.14")
        #expect(rows["budget: memory"]?.ok == false && rows["budget: CPU"]?.ok == false)
        #expect(rows.values.allSatisfy { $0.ok || !$0.fix.isEmpty })

        let old = HostCheck.enforcement(cgroupRows: cgroups(false), kernelRelease: "5.10.0-28-amd64")
        #expect(old.summary.contains("processes: RLIMIT_NPROC, shared with the host uid"))
        #expect(HostCheck.budgetRows(old, kernelRelease: "5.10.0-28-amd64").first { $0.check == "budget: processes" }?.ok == false)
    }

    @Test func theIdentityRowSaysWhoseCountersTheJailShares() {
        let own = HostCheck.identityRow(kernelUID: 0, identity: JailIdentity(uid: 2000007, gid: 3000007, source: .range))
        #expect(own.ok && own.detail.contains("2000007"))
        let nobody = HostCheck.identityRow(kernelUID: 0, identity: JailIdentity(uid: 65534, gid: 65534, source: .nobody))
        #expect(!nobody.ok && !nobody.blocking && nobody.fix.contains("/etc/subuid"))
        let user = HostCheck.identityRow(kernelUID: 1000, identity: JailIdentity(uid: 0, gid: 0, source: .range))
        #expect(!user.ok && user.detail.contains("uid 1000"))
    }

    @Test func aMissingGHCIsABlockingProblemWithAFix() {
        let check = HostCheck(ghcExecutable: "/nonexistent/ghc")
        let problem = check.firstBlockingProblem()
        #expect(problem?.contains("ghc") == true)
        #expect(problem?.contains("Fix:") == true)
    }

    @Test func cgroupMembershipParsesHybridAndV2() {
        let hybrid = CgroupProbe.membership("4:memory:/a/b\n1:cpu,cpuacct:/\n0::/\n")
        #expect(hybrid.v1["memory"] == "/a/b")
        #expect(hybrid.v1["cpuacct"] == "/")
        #expect(hybrid.v2 == "/")
        let v2 = CgroupProbe.membership("0::/user.slice/session-1.scope\n")
        #expect(v2.v1.isEmpty)
        #expect(v2.v2 == "/user.slice/session-1.scope")
    }

    @Test func cgroupJoinLatencyRowReadsTheCgroup2MountOptions() {
        let slow = CgroupProbe.joinLatency(mounts: "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n")
        #expect(!slow.ok && !slow.blocking)
        #expect(slow.fix.contains("mount -o remount,favordynmods /sys/fs/cgroup/unified"), "\(slow.fix)")
        let fast = CgroupProbe.joinLatency(mounts: "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,favordynmods 0 0\n")
        #expect(fast.ok)
        #expect(fast.detail.hasPrefix("/sys/fs/cgroup has favordynmods"))
        let none = CgroupProbe.joinLatency(mounts: "proc /proc proc rw 0 0\n")
        #expect(!none.ok && none.detail.contains("cannot tell"))
    }
}
