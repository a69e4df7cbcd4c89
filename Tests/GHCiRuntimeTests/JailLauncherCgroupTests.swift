#if canImport(Glibc)
import Glibc
#endif
import Logging
import Sandbox
import Testing
@testable import GHCiRuntime

/// The first launch uses what the kernel prepared at start: a host whose cgroups failed then
/// is not tried (and warned about) a second time; later launches make their own cgroup.
@Test(.enabled(if: geteuid() == 0, "making cgroups needs root here (CI runs as root)"))
func aFailedEarlyCgroupIsNotTriedAgainAtTheFirstLaunch() throws {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3) // Tests/GHCiRuntimeTests/<this file>
    let policy = try SeccompPolicy.load(path: parts.joined(separator: "/") + "/sandbox/seccomp.policy")
    let launcher = JailLauncher(spec: SandboxSpec.ghciDefault(policy: policy), budget: .builtIn,
                                ghcExecutable: "/usr/bin/ghc", logger: Logger(label: "test"), prepared: .unavailable)
    for expectCgroup in [false, true] {
        let launched = try launcher.launch(executable: "/bin/sleep", arguments: ["30"], environment: [:])
        #expect((launched.counters != nil) == expectCgroup)
        launched.child.signal(SIGKILL)
        _ = launched.child.wait()
        launched.child.closeDescriptors()
        launched.release()
    }
}
