import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// The jail, tested with real namespaces (needs root or unprivileged user namespaces).
@Suite(.serialized) struct JailTests {
    @Test func ghciAnswersInsideTheJail() throws {
        let ghci = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/usr/bin/ghci",
                                         arguments: ["-v0", "-ignore-dot-ghci"])
        defer { ghci.signal(SIGKILL); ghci.wait(); ghci.closeDescriptors() }
        try send(ghci, "1+1\n")
        let got = collect(ghci) { $0.stdout.contains("\n") }
        #expect(got.stdout == "2\n", "stderr: \(got.stderr)")
    }

    @Test func identityIsTheUnprivilegedSandboxUser() throws {
        let r = try runInJail("""
            /usr/bin/id -u; /usr/bin/id -g; id -un; hostname; pwd; echo $HOME; ulimit -c
            grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status
            """)
        #expect(r.status == .exited(0), "\(r.err)")
        #expect(r.out.hasPrefix("1000\n1000\nghcbox\nghcbox\n/scratch\n/scratch\n0\n"), "\(r.out)")
        for set in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
            #expect(r.out.contains("\(set):\t0000000000000000"), "\(set) in \(r.out)")
        }
        #expect(r.out.contains("NoNewPrivs:\t1"))
        #expect(r.out.contains("Seccomp:\t2"))
    }

    @Test func hostSecretsAreNotThere() throws {
        let r = try runInJail("""
            for p in /root /home /etc/shadow /run /var/run /var/log /work /sys /boot /etc/ssh; do
              if [ -e "$p" ]; then echo "visible: $p"; fi
            done
            cat /etc/shadow 2>/dev/null && echo readable
            ls /etc; echo done
            """)
        #expect(r.status == .exited(0))
        #expect(!r.out.contains("visible"), "\(r.out)")
        #expect(!r.out.contains("readable"))
        #expect(r.out.contains("group\nhostname\nhosts\nld.so.cache\nnsswitch.conf\npasswd\ndone"), "\(r.out)")
    }

    @Test func theRootIsReadOnly() throws {
        let r = try runInJail("""
            for p in /usr/ghcbox-probe /ghcbox-probe /etc/ghcbox-probe /var/lib/ghc/probe /dev/probe; do
              if touch "$p" 2>/dev/null; then echo "wrote $p"; fi
            done
            echo fine > /dev/null && echo null-ok
            touch /scratch/a /tmp/b && echo scratch-ok
            """)
        #expect(r.status == .exited(0))
        #expect(!r.out.contains("wrote"), "\(r.out)")
        #expect(r.out.contains("null-ok\nscratch-ok"))
    }

    @Test func scratchIsSizeLimited() throws {
        var spec = try defaultSpec()
        spec.tmpfs = [SandboxSpec.Tmpfs("/scratch", sizeMB: 4, mode: 0o700), SandboxSpec.Tmpfs("/tmp", sizeMB: 4, mode: 0o1777)]
        let r = try runInJail("dd if=/dev/zero of=/scratch/big bs=1M count=16", spec: spec)
        #expect(r.status != .exited(0))
        #expect(r.err.contains("No space left on device"), "\(r.err)")
    }

    @Test func onlyTheJailsProcessesAreVisible() throws {
        let r = try runInJail("ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' '")
        let pids = r.out.split(separator: " ").compactMap { Int($0) }
        #expect(pids.contains(1))
        #expect(!pids.isEmpty && pids.allSatisfy { $0 < 20 }, "\(r.out)")
    }

    /// A process group shared with the kernel would let a client's killpg() reach GHCi
    /// past the kernel, and a cell's kill(0, sig) reach the kernel.
    @Test func theJailHasASessionAndProcessGroupOfItsOwn() throws {
        let r = try runInJail("sed 's/.*) //' /proc/self/stat | cut -d' ' -f3,4")
        #expect(r.out == "1 1\n", "pgrp and session of the jailed shell, seen inside: \(r.out)")
        let child = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/bin/sleep", arguments: ["30"])
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        #expect(getsid(child.pid) == child.pid)
        #expect(getpgid(child.pid) == child.pid)
        #expect(getpgid(child.pid) != getpgrp())
    }

    @Test func theHostsLoopbackIsUnreachable() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(listener, p, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, p, &length) == 0
            }
        }
        #expect(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let r = try runInJail("bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)' && echo connected; ip -o link 2>/dev/null; cat /proc/net/dev")
        #expect(!r.out.contains("connected"), "\(r.out)")
        #expect(r.out.contains("lo:"))
        #expect(!r.out.contains("eth"), "\(r.out)")
    }

    @Test func deniedSystemCallsFailWithAnOrdinaryError() throws {
        let r = try runInJail("""
            /usr/bin/unshare -U true; echo "unshare=$?"
            /usr/bin/setarch x86_64 -R true; echo "setarch=$?"
            /usr/bin/uname -a >/dev/null; echo "uname=$?"
            """)
        #expect(r.out.contains("unshare=1"), "\(r.out) \(r.err)")
        #expect(r.out.contains("setarch=1"), "\(r.out) \(r.err)")
        #expect(r.out.contains("uname=0"))
        #expect(r.err.contains("Operation not permitted"), "\(r.err)")
    }

    @Test func sigintInterruptsGHCiWhichKeepsRunning() throws {
        let ghci = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/usr/bin/ghci",
                                         arguments: ["-v0", "-ignore-dot-ghci"])
        defer { ghci.signal(SIGKILL); ghci.wait(); ghci.closeDescriptors() }
        try send(ghci, "let kept = 41 :: Int\n1+1\n")
        #expect(collect(ghci) { $0.stdout.contains("2\n") }.stdout == "2\n")
        // "sleeping" on stdout says the statement is under way, so SIGINT lands on the delay,
        // which is far longer than the wait for "Interrupted." below.
        try send(ghci, "putStrLn \"sleeping\" >> System.IO.hFlush System.IO.stdout >> Control.Concurrent.threadDelay 600000000\n")
        #expect(collect(ghci) { $0.stdout.contains("sleeping\n") }.stdout == "sleeping\n")
        ghci.signal(SIGINT)
        let interrupted = collect(ghci) { $0.stderr.contains("Interrupted.") }
        #expect(interrupted.stderr.contains("Interrupted."))
        try send(ghci, "kept + 1\n")
        #expect(collect(ghci) { $0.stdout.contains("\n") }.stdout == "42\n")
        #expect(ghci.poll() == nil)
    }

    @Test func killingPidOneEndsEveryJailProcess() throws {
        let ghci = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/usr/bin/ghci",
                                         arguments: ["-v0", "-ignore-dot-ghci"])
        defer { ghci.closeDescriptors() }
        try send(ghci, "System.Process.system \"sleep 60 &\" >> putStrLn \"started\"\n")
        let started = collect(ghci) { $0.stdout.contains("started") }
        #expect(started.stdout.contains("started"), "\(started.stderr)")
        let namespace = pidNamespace(of: ghci.pid)
        #expect(namespace != nil)
        #expect(processes(in: namespace!).count >= 3) // pid 1, GHCi, sleep
        ghci.signal(SIGKILL)
        #expect(ghci.wait() == .signalled(SIGKILL))
        collect(ghci, seconds: 5)
        // The kernel tears the namespace down after pid 1 dies; the rest go a moment later.
        #expect(waitUntil { processes(in: namespace!).isEmpty }, "\(processes(in: namespace!))")
    }

    /// The parent-death chain without a helper executable: pid 1's PR_SET_PDEATHSIG fires
    /// when the thread that cloned it exits, exactly as when the kernel process dies.
    @Test func theJailDiesWithItsSpawningThread() throws {
        let spec = try defaultSpec()
        final class Box: @unchecked Sendable { var child: ChildProcess?; var spec: SandboxSpec? }
        let box = Box()
        box.spec = spec
        var thread = pthread_t()
        let raw = Unmanaged.passRetained(box).toOpaque()
        #expect(pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.child = try? JailSpawner.spawnOnCurrentThread(spec: box.spec!, executable: "/usr/bin/sleep", arguments: ["60"])
            return nil
        }, raw) == 0)
        pthread_join(thread, nil)
        let child = try #require(box.child)
        defer { child.closeDescriptors() }
        // Left alone, sleep would exit 0 after a minute; SIGKILL says the parent-death signal ended it.
        #expect(child.wait() == .signalled(SIGKILL))
    }

    @Test func aFailedStepIsNamed() throws {
        var spec = try defaultSpec()
        spec.readOnlyBinds.append(.init("/nonexistent-ghcbox-path"))
        #expect {
            _ = try JailSpawner.spawn(spec: spec, executable: "/bin/true", arguments: [])
        } throws: { error in
            guard let error = error as? SandboxError else { return false }
            return error.code == .jailStep && error.detail == "bind" && error.errno == ENOENT
                && error.description.hasPrefix("jail step 'bind' failed: No such file or directory")
                && error.description.contains("/nonexistent-ghcbox-path")
        }
        #expect {
            _ = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/opt/not-in-jail", arguments: [])
        } throws: { error in
            (error as? SandboxError)?.detail == "execve"
        }
    }

    @Test func exitStatusOfTheProgramIsPropagated() throws {
        #expect(try runInJail("exit 7").status == .exited(7))
        #expect(try runInJail("kill -TERM $$").status == .exited(128 + SIGTERM))
    }
}

/// The pid namespace of a host pid, as its /proc link text.
func pidNamespace(of pid: pid_t) -> String? {
    var buffer = [CChar](repeating: 0, count: 128)
    let n = readlink("/proc/\(pid)/ns/pid", &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Host pids of the processes whose pid namespace is `namespace`.
func processes(in namespace: String) -> [pid_t] {
    guard let dir = opendir("/proc") else { return [] }
    defer { closedir(dir) }
    var found: [pid_t] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let pid = pid_t(name), pidNamespace(of: pid) == namespace else { continue }
        found.append(pid)
    }
    return found
}
