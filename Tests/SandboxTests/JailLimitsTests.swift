import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// The limits of the jail's own user namespace (/proc/sys/user) and its rlimits, seen from
/// inside, and what they stop: new namespaces with seccomp out of the way, inotify beyond its
/// share, a fork bomb with and without a session cgroup.
@Suite(.serialized) struct JailLimitsTests {
    /// The name and value of every /proc/sys/user file as the jail sees it.
    func userSysctls() throws -> [String: String] {
        let r = try runInJail("""
            for f in /proc/sys/user/*; do echo "${f##*/} $(cat $f)"; done
            echo 5 > /proc/sys/user/max_user_namespaces 2>/dev/null && echo "wrote max_user_namespaces"
            """)
        #expect(!r.out.contains("wrote"), "\(r.out)")
        return Dictionary(r.out.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            return words.count == 2 ? (String(words[0]), String(words[1])) : nil
        }, uniquingKeysWith: { a, _ in a })
    }

    /// Runs a Python script as the jail's program (no shell around it); nil without python3.
    func python(_ code: String, spec: SandboxSpec? = nil) throws -> (out: String, err: String)? {
        guard access("/usr/bin/python3", X_OK) == 0 else {
            Issue.record("cannot test: /usr/bin/python3 is missing")
            return nil
        }
        let child = try JailSpawner.spawn(spec: try spec ?? defaultSpec(), executable: "/usr/bin/python3", arguments: ["-c", code])
        child.closeStdin()
        let got = collect(child)
        child.wait()
        child.closeDescriptors()
        return (got.stdout, got.stderr)
    }

    @Test func theJailsNamespaceLimitsReadBackAndCannotBeRaised() throws {
        let values = try userSysctls()
        for kind in ["user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time"]
        where access("/proc/sys/user/max_\(kind)_namespaces", F_OK) == 0 {
            #expect(values["max_\(kind)_namespaces"] == "0", "\(kind): \(values)")
        }
        #expect(values["max_inotify_instances"] == "8", "\(values)")
        #expect(values["max_inotify_watches"] == "1024", "\(values)")
        // The host's own limits are untouched.
        #expect(try readWholeFile("/proc/sys/user/max_user_namespaces") != Array("0\n".utf8))
    }

    /// With the seccomp rules on unshare and clone's namespace flags lifted, the namespace
    /// limit alone refuses a new user namespace: ENOSPC, "No space left on device".
    @Test func aNewUserNamespaceIsRefusedWithoutSeccompsHelp() throws {
        guard access("/usr/bin/unshare", X_OK) == 0 else {
            Issue.record("cannot test: /usr/bin/unshare is missing")
            return
        }
        var spec = try defaultSpec()
        for index in spec.seccomp.rules.indices where ["unshare", "clone"].contains(spec.seccomp.rules[index].syscall) {
            spec.seccomp.rules[index].match = .allow
            spec.seccomp.rules[index].errno = 0
        }
        let r = try runInJail("/usr/bin/unshare --user /bin/true && echo created; echo status $?", spec: spec)
        #expect(!r.out.contains("created"), "\(r.out)")
        #expect(r.err.contains("No space left on device"), "\(r.err)")
    }

    /// Inotify instances count against the jail's limit and, one namespace up, against the
    /// user running the kernel (root's 128 here): a cell stops at its own share.
    @Test func inotifyStopsAtTheJailsShare() throws {
        guard let r = try python("""
            import ctypes, errno
            libc = ctypes.CDLL(None, use_errno=True)
            fds = []
            while len(fds) < 1000:
                fd = libc.inotify_init1(0)
                if fd < 0: break
                fds.append(fd)
            print("instances", len(fds), errno.errorcode.get(ctypes.get_errno()))
            for i in range(1100):
                open("/scratch/f%d" % i, "w").close()
            w = 0
            while w < 1100 and libc.inotify_add_watch(fds[0], b"/scratch/f%d" % w, 2) >= 0:
                w += 1
            print("watches", w, errno.errorcode.get(ctypes.get_errno()))
            """) else { return }
        #expect(r.out.contains("instances 8 EMFILE"), "\(r.out) \(r.err)")
        #expect(r.out.contains("watches 1024 ENOSPC"), "\(r.out) \(r.err)")
    }

    @Test func rlimitsAreSet() throws {
        var spec = try defaultSpec()
        spec.limits.processes = 40
        let r = try runInJail("grep -E '^Max (pending signals|msgqueue size|locked memory|processes|address space)' /proc/self/limits",
                              spec: spec)
        let limits = r.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        func soft(_ name: String) -> String? {
            limits.first { $0.joined(separator: " ").hasPrefix("Max " + name) }.map { $0[$0.count - 3] }
        }
        #expect(soft("pending signals") == "128", "\(r.out)")
        #expect(soft("msgqueue size") == "131072", "\(r.out)")
        #expect(soft("locked memory") == "65536", "\(r.out)")
        #expect(soft("processes") == "40", "\(r.out)")
        #expect(soft("address space") == "unlimited", "GHC reserves 1 TiB of address space: \(r.out)")
    }

    /// The jail's program forks up to 40 sleeping children; how many it got, and the errno
    /// that stopped it.
    func forkBomb(spec: SandboxSpec) throws -> (children: Int, stopped: String)? {
        guard let r = try python("""
            import errno, os, time
            kids, stopped = 0, None
            while kids < 40:
                try:
                    pid = os.fork()
                except OSError as e:
                    stopped = errno.errorcode[e.errno]
                    break
                if pid == 0:
                    time.sleep(30)
                    os._exit(0)
                kids += 1
            print("children", kids, stopped)
            """, spec: spec) else { return nil }
        let words = r.out.split(separator: "\n").first { $0.hasPrefix("children ") }?.split(separator: " ") ?? []
        guard words.count == 3, let children = Int(words[1]) else {
            Issue.record("no count: \(r.out) \(r.err)")
            return nil
        }
        return (children, String(words[2]))
    }

    /// RLIMIT_NPROC counts the jail user's processes in the jail's user namespace: Python and
    /// 15 children make 16.
    @Test func aForkBombWithoutACgroupStopsAtRlimitNproc() throws {
        var spec = try defaultSpec()
        spec.limits.processes = 16
        guard let bomb = try forkBomb(spec: spec) else { return }
        #expect(bomb.children == 15 && bomb.stopped == "EAGAIN", "\(bomb)")
    }

    /// RLIMIT_NPROC counts per user *namespace*: host processes of the jail's host uid (nobody,
    /// for a root kernel without a ghcbox range, which every such kernel's jails and the host's
    /// own nobody share) do not use up the jail's.
    @Test(.enabled(if: geteuid() == 0, "starts host processes as the jail's host uid"))
    func hostProcessesOfTheJailsHostUidDoNotCount() throws {
        let uid = try defaultSpec().resolvedHostIDs.uid
        let started = try CommandRun.run("/bin/sh", ["-c", """
            for i in $(seq 20); do
              /usr/bin/setpriv --reuid=\(uid) --regid=\(uid) --clear-groups /bin/sleep 60 </dev/null >/dev/null 2>&1 & echo $!
            done
            """])
        let pids = started.stdout.split(separator: "\n").compactMap { pid_t($0) }
        defer { for pid in pids { kill(pid, SIGKILL) } }
        #expect(pids.count == 20, "\(started.stderr)")
        // Each is nobody's once setpriv has changed its uid.
        let deadline = now() + 10
        while now() < deadline, !pids.allSatisfy({ uidOf($0) == uid }) { usleep(10_000) }
        #expect(pids.allSatisfy { uidOf($0) == uid })
        var spec = try defaultSpec()
        spec.limits.processes = 16
        guard let bomb = try forkBomb(spec: spec) else { return }
        #expect(bomb.children == 15 && bomb.stopped == "EAGAIN", "\(bomb)")
    }

    /// With a session cgroup whose pids limit is the same budget, the cgroup refuses first (it
    /// also counts pid 1: 1 + Python + 14 children), so its counters see the breach, as the
    /// kernel's guard needs.
    @Test func aForkBombInACgroupStopsAtTheCgroupFirst() throws {
        var budget = ResourceBudget.builtIn
        budget.pids = 16
        let cgroup: Cgroup
        do {
            cgroup = try Cgroup.create(name: "ghcbox-test-\(getpid())-bomb", budget: budget)
        } catch {
            Issue.record("cannot test with a cgroup here: \(error)")
            return
        }
        defer { try? cgroup.remove() }
        var spec = try defaultSpec()
        spec.limits.processes = UInt64(budget.pids)
        spec.cgroupProcs = cgroup.procsFiles
        guard let bomb = try forkBomb(spec: spec) else { return }
        #expect(bomb.children == 14 && bomb.stopped == "EAGAIN", "\(bomb)")
        #expect(cgroup.usage().pidsEventsMax > 0, "the cgroup's pids limit was not what refused the fork")
    }
}

/// The real uid of a process, from /proc/<pid>/status; nil once it is gone.
private func uidOf(_ pid: pid_t) -> UInt32? {
    guard let bytes = try? readWholeFile("/proc/\(pid)/status") else { return nil }
    let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("Uid:") }
    return line.flatMap { $0.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { UInt32($0) } }
}
