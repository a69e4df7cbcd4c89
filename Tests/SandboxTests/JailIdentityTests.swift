import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox
import SystemLayer
import SystemPackage

/// The host identity of a root kernel's jails: a uid and gid of the kernel's own from the ghcbox
/// range of /etc/subuid and /etc/subgid, and a user namespace owned by that uid, not by root.
@Suite(.serialized) struct JailIdentityTests {
    /// A directory of this test's own with `subuid` and `subgid` files and a lock directory.
    func ranges(subuid: String, subgid: String) throws -> (dir: String, cleanup: () -> Void) {
        var template = Array("/tmp/ghcbox-ids-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SandboxError(.spawn, errno: errno, detail: "mkdtemp") }
        let dir = String(cString: made)
        try write(dir + "/subuid", subuid)
        try write(dir + "/subgid", subgid)
        return (dir, { _ = try? CommandRun.run("/bin/rm", ["-rf", dir]) })
    }

    @Test(.enabled(if: geteuid() == 0, "the lock directory must belong to root"))
    func eachKernelTakesAFreePairFromTheRange() throws {
        let (dir, cleanup) = try ranges(subuid: "alice:100000:65536\nghcbox:2000000:3\n", subgid: "ghcbox:3000000:5\n")
        defer { cleanup() }
        func take(_ start: Int) -> (JailIdentity, Int32)? {
            JailIdentity.take(subuid: dir + "/subuid", subgid: dir + "/subgid", locks: dir + "/ids", start: start)
        }
        // Three kernels (three locks held at once) get the range's three pairs; a fourth gets none.
        let held = [take(1), take(1), take(1)].compactMap { $0 }
        #expect(held.map(\.0.uid).sorted() == [2000000, 2000001, 2000002])
        #expect(held.allSatisfy { $0.0.gid - 3000000 == $0.0.uid - 2000000 && $0.0.source == .range })
        #expect(held.first?.0.uid == 2000001, "the search starts at the kernel's own offset")
        #expect(take(1) == nil)
        // A kernel that ends (its lock closes) frees its pair.
        close(held[0].1)
        #expect(take(0)?.0.uid == held[0].0.uid)
        held.dropFirst().forEach { close($0.1) }
    }

    @Test func aRangeIsTheGhcboxLineAboveNobody() throws {
        let (dir, cleanup) = try ranges(subuid: "root:100000:65536\nghcbox:1000:10\nghcbox:70000:0\n", subgid: "")
        defer { cleanup() }
        #expect(JailIdentity.range(in: dir + "/subuid") == nil, "ids at or below 65534 and empty ranges are refused")
        #expect(JailIdentity.range(in: dir + "/subgid") == nil)
        #expect(JailIdentity.range(in: dir + "/none") == nil)
        try write(dir + "/subuid", "ghcbox:70000:10\n")
        #expect(JailIdentity.range(in: dir + "/subuid")! == (70000, 10))
    }

    /// A jail whose host uid is its own (from a range) has a user namespace owned by that uid, so
    /// what the kernel counts per user inside it (processes, queued signals, inotify) is charged
    /// to that uid one level up, not to root; the program runs as it too. A jail that is nobody
    /// stays in a namespace of root's: a nobody-owned one would give every host process running
    /// as nobody all capabilities inside it.
    @Test(.enabled(if: geteuid() == 0, "only a root kernel picks its jail's host uid"))
    func theJailsUserNamespaceBelongsToItsHostUid() throws {
        for explicit in [nil, UInt32(2_000_000 + getpid() % 1000)] {
            var spec = try defaultSpec()
            spec.hostUID = explicit
            spec.hostGID = explicit
            let child = try JailSpawner.spawn(spec: spec, executable: "/bin/sh", arguments: ["-c", "echo ready; exec sleep 60"])
            defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
            #expect(collect(child) { $0.stdout.contains("ready") }.stdout == "ready\n")
            let expected = spec.resolvedHostIDs.uid
            let owner: UInt32 = expected == SandboxSpec.unprivilegedHostID ? 0 : expected
            #expect(try userNamespaceOwner(of: child.pid) == owner)
            let program = try readWholeFile("/proc/\(child.pid)/task/\(child.pid)/children")
            let pid = String(decoding: program, as: UTF8.self).split(separator: " ").first.flatMap { pid_t($0) } ?? -1
            let status = String(decoding: try readWholeFile("/proc/\(pid)/status"), as: UTF8.self)
            #expect(status.contains("Uid:\t\(expected)\t\(expected)\t\(expected)\t\(expected)"), "\(status)")
        }
    }
}

private func write(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SandboxError(.write, errno: errno, detail: path) }
    try FileDescriptor(rawValue: fd).closeAfter { _ = try FileDescriptor(rawValue: fd).writeAll(text.utf8) }
}

/// NS_GET_OWNER_UID of the process's user namespace.
func userNamespaceOwner(of pid: pid_t) throws -> UInt32 {
    let fd = open("/proc/\(pid)/ns/user", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw SandboxError(.read, errno: errno, detail: "/proc/\(pid)/ns/user") }
    defer { close(fd) }
    var owner: UInt32 = 0
    let nsGetOwnerUID: UInt = 0xb704 // _IO(0xb7, 0x4), linux/nsfs.h
    guard ioctl(fd, nsGetOwnerUID, &owner) == 0 else { throw SandboxError(.read, errno: errno, detail: "NS_GET_OWNER_UID") }
    return owner
}
