import Testing
@testable import Sandbox

@Suite struct HostCheckTests {
    @Test func rowsCoverTheHostAndNothingBlocksHere() {
        let check = HostCheck(policyPath: policyPath)
        let rows = check.rows()
        let names = rows.map(\.check)
        for expected in ["user namespaces", "seccomp", "tmpfs in a user namespace", "/proc in a user namespace",
                         "seccomp policy", "cgroup layout", "ghc"] {
            #expect(names.contains(expected), "\(names)")
        }
        #expect(names.contains { $0.hasPrefix("cgroup memory") })
        for row in rows where row.blocking {
            #expect(row.ok, "\(row)")
        }
        #expect(rows.first { $0.check == "ghc" }?.detail.contains("9.") == true)
        #expect(check.firstBlockingProblem(in: rows) == nil)
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
