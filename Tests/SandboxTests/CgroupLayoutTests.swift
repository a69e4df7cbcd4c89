import Testing
@testable import Sandbox

/// Finding the kernel's own cgroup from mountinfo and /proc/self/cgroup texts.
struct CgroupLayoutTests {
    /// This machine: v1 controllers each on its own mount, an empty v2 at unified.
    static let hybridMounts = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    @Test func hybridUsesTheV1Controllers() {
        let layout = CgroupLayout.detect(mountinfo: Self.hybridMounts, selfCgroup: """
            8:pids:/
            4:memory:/process_api/abc
            2:cpuacct:/
            1:cpu:/
            0::/
            """)
        #expect(layout == .v1(["memory": "/sys/fs/cgroup/memory/process_api/abc", "cpu": "/sys/fs/cgroup/cpu",
                               "cpuacct": "/sys/fs/cgroup/cpuacct", "pids": "/sys/fs/cgroup/pids"]))
    }

    @Test func coMountedCpuAndCpuacctShareADirectory() {
        let layout = CgroupLayout.detect(mountinfo: """
            30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct
            31 25 0:27 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory
            32 25 0:28 / /sys/fs/cgroup/pids rw,nosuid - cgroup cgroup rw,pids
            """, selfCgroup: "5:pids:/user/1\n3:memory:/user/1\n2:cpu,cpuacct:/user/1\n")
        #expect(layout == .v1(["memory": "/sys/fs/cgroup/memory/user/1", "cpu": "/sys/fs/cgroup/cpu,cpuacct/user/1",
                               "cpuacct": "/sys/fs/cgroup/cpu,cpuacct/user/1", "pids": "/sys/fs/cgroup/pids/user/1"]))
    }

    @Test func pureV2() {
        let layout = CgroupLayout.detect(mountinfo: """
            25 30 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            """, selfCgroup: "0::/user.slice/user-1000.slice/session-2.scope\n")
        #expect(layout == .v2("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope"))
    }

    @Test func aMountOfASubtreeIsFollowed() {
        // A container that sees its host's path in /proc/self/cgroup but mounts only its own subtree.
        let layout = CgroupLayout.detect(mountinfo: """
            600 500 0:22 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw
            """, selfCgroup: "0::/docker/abc/inner\n")
        #expect(layout == .v2("/sys/fs/cgroup/inner"))
        #expect(CgroupLayout.directory(of: "/docker/abcd", mountRoot: "/docker/abc", mountPoint: "/x") == nil)
        #expect(CgroupLayout.directory(of: "/../x", mountRoot: "/", mountPoint: "/x") == nil)
    }

    @Test func noCgroupFilesystemIsUnavailable() {
        if case .unavailable(let reason) = CgroupLayout.detect(mountinfo: "", selfCgroup: "0::/\n") {
            #expect(reason.contains("not under any mounted cgroup2"), "\(reason)")
        } else {
            Issue.record("expected unavailable")
        }
        if case .unavailable = CgroupLayout.detect(mountinfo: "", selfCgroup: "") {} else { Issue.record("expected unavailable") }
    }

    @Test func createRefusesAnUnavailableLayoutAndBadNames() {
        #expect(throws: SandboxError.self) {
            _ = try Cgroup.create(name: "s", budget: .builtIn, layout: .unavailable("no cgroupfs"))
        }
        for name in ["", "a/b", "..", ".", Cgroup.leafName] {
            #expect(throws: SandboxError.self) { _ = try Cgroup.create(name: name, budget: .builtIn, layout: .v2("/nonexistent")) }
        }
    }
}
