import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

@Suite struct SeccompPolicyTests {
    @Test func theRepositoryPolicyIsAnAllowlistThatCompiles() throws {
        let policy = try SeccompPolicy.load(path: policyPath)
        try policy.validate()
        #expect(policy.defaultErrno == EPERM, "calls the policy does not name must fail")
        func rule(_ name: String) -> SeccompPolicy.Rule? { policy.rules.first { $0.syscall == name } }
        for required in ["mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "clone3", "ptrace",
                         "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key", "bpf",
                         "perf_event_open", "userfaultfd", "init_module", "finit_module", "delete_module",
                         "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct", "quotactl",
                         "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "io_uring_setup",
                         "io_uring_enter", "io_uring_register", "open_by_handle_at",
                         "name_to_handle_at", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
                         "fspick", "mount_setattr", "iopl", "ioperm", "syslog"] {
            #expect(rule(required).map { $0.match == .always } == true, "\(required) is not denied by name")
        }
        // What GHCi, its threads and the programs it runs call all the time.
        for needed in ["read", "write", "openat", "close", "mmap", "mprotect", "futex", "execve", "wait4",
                       "rt_sigaction", "epoll_wait", "timerfd_create", "newfstatat", "getrandom", "rseq"] {
            #expect(rule(needed)?.match == .allow, "\(needed) is not allowed")
        }
        #expect(rule("clone3")?.errno == ENOSYS)
        #expect(rule("clone")?.match == .anyFlag(0x7e02_0000), "clone with namespace flags, as Docker's mask")
        for call in ["socket", "socketpair"] {
            #expect(rule(call)?.match == .unlessValue([1, 2, 10, 16]), "AF_UNIX, AF_INET, AF_INET6, AF_NETLINK")
            #expect(rule(call)?.errno == EAFNOSUPPORT)
        }
        #expect(rule("personality")?.match == .unlessValue([0, 0xffff_ffff]))
        #expect(policy.rules.allSatisfy { !$0.comment.isEmpty })
    }

    @Test func rulesOfEveryKindParse() throws {
        let policy = try SeccompPolicy(parsing: """
            # a comment line

            default ENOSYS     # why
            allow read write   # why
            deny mount EPERM   # why
            deny-if-flags clone CLONE_NEWUSER|0x20000 EPERM # why
            deny-unless-value personality 0x0,4294967295 EPERM # why
            """)
        #expect(policy.defaultErrno == ENOSYS)
        #expect(policy.rules == [
            .init(syscall: "read", match: .allow, errno: 0, comment: "why", line: 4),
            .init(syscall: "write", match: .allow, errno: 0, comment: "why", line: 4),
            .init(syscall: "mount", match: .always, errno: EPERM, comment: "why", line: 5),
            .init(syscall: "clone", match: .anyFlag(0x1000_0000 | 0x20000), errno: EPERM, comment: "why", line: 6),
            .init(syscall: "personality", match: .unlessValue([0, 0xffff_ffff]), errno: EPERM, comment: "why", line: 7),
        ])
        try policy.validate()
    }

    @Test func withoutADefaultLineUnnamedCallsAreAllowed() throws {
        let policy = try SeccompPolicy(parsing: "deny mount EPERM # why\nallow read # redundant, and accepted\n")
        #expect(policy.defaultErrno == nil)
        try policy.validate()
    }

    @Test(arguments: [
        ("deny mount EPERM # ok\nbogus mount EPERM # no\n", "line 2"),
        ("deny mount EPERM\n", "line 1: a rule needs a '# comment'"),
        ("deny mount EWHAT # x\n", "unknown errno"),
        ("deny-if-flags clone CLONE_NOPE EPERM # x\n", "unknown flag"),
        ("deny mount # x\n", "expected 'deny SYSCALL ERRNO'"),
        ("allow # x\n", "expected 'allow SYSCALL"),
        ("default # x\n", "expected 'default ERRNO'"),
        ("default EPERM # a\ndefault ENOSYS # b\n", "line 2: a second 'default' line"),
        ("allow read write # a\n\ndeny write EPERM # b\n", "line 3: 'write' already has a rule on line 1"),
    ])
    func badLinesAreNamed(text: String, message: String) {
        #expect {
            _ = try SeccompPolicy(parsing: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func anUnknownSystemCallIsNamedByLine() throws {
        for text in ["deny mount EPERM # a\n\ndeny not_a_syscall EPERM # b\n",
                     "default EPERM # a\nallow read # b\nallow write not_a_syscall # c\n"] {
            let policy = try SeccompPolicy(parsing: text)
            #expect {
                try policy.validate()
            } throws: { error in
                "\(error)".contains("line 3: 'not_a_syscall'")
            }
        }
    }
}

/// The repository's policy at work in a real jail. Perl (Debian's essential perl-base) makes
/// the raw system calls: it is also an ordinary program that must keep working.
@Suite(.serialized) struct SeccompFilterTests {
    /// Runs `perl -e CODE ARGS...` in the default jail; returns its stdout.
    private func perl(_ code: String, _ args: [String] = []) throws -> (out: String, status: Sandbox.ExitStatus) {
        let quoted = ([code] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let r = try runInJail("/usr/bin/perl -e " + quoted.joined(separator: " "))
        return (r.out, r.status)
    }

    /// "FAMILY ok" or "FAMILY ERRNO" per family, from socket(2) and socketpair(2).
    private let openFamilies = """
        for my $f (@ARGV) {
          my $type = $f == 16 ? 3 : 1;
          print "socket $f ", (socket(my $s, $f, $type, 0) ? "ok" : $!+0), "\\n";
          print "pair $f ", (socketpair(my $a, my $b, $f, $type, 0) ? "ok" : $!+0), "\\n";
        }
        """

    @Test func onlyFourSocketFamiliesOpen() throws {
        // vsock reaches the host (not network-namespaced); the rest are kernel surface a cell has no use for.
        let refused = [40, 38, 17, 31, 15, 21, 30, 29, 9, 3, 4, 5, 44, 45, 46, 1000]
        let r = try perl(openFamilies, ([1, 2, 10, 16] + refused).map(String.init))
        let got = Dictionary(r.out.split(separator: "\n").map { line -> (String, String) in
            let words = line.split(separator: " ")
            return (words.prefix(2).joined(separator: " "), String(words.last ?? ""))
        }, uniquingKeysWith: { a, _ in a })
        #expect(r.status == .exited(0), "\(r.out)")
        for family in [1, 2, 10, 16] {
            #expect(got["socket \(family)"] == "ok", "socket(\(family)): \(r.out)")
        }
        #expect(got["pair 1"] == "ok", "an AF_UNIX socketpair: \(r.out)")
        for family in refused {
            #expect(got["socket \(family)"] == "\(EAFNOSUPPORT)", "socket(\(family)): \(r.out)")
            #expect(got["pair \(family)"] == "\(EAFNOSUPPORT)", "socketpair(\(family)): \(r.out)")
        }
    }

    @Test func callsTheAllowlistDoesNotNameFail() throws {
        // x86-64 numbers: 1000 (none; the kernel alone says ENOSYS), modify_ldt (154; reading
        // nothing succeeds without a filter), lookup_dcookie (212), kexec_file_load (320),
        // mseal (462, newer than the policy), clone3 (435, ENOSYS so that glibc falls back).
        let r = try perl("for (@ARGV) { my $r = syscall($_, 0, 0, 0); print \"$_ $r \", $!+0, \"\\n\" }",
                         ["1000", "154", "212", "320", "462", "435"])
        #expect(r.out == """
            1000 -1 \(EPERM)
            154 -1 \(EPERM)
            212 -1 \(EPERM)
            320 -1 \(EPERM)
            462 -1 \(EPERM)
            435 -1 \(ENOSYS)

            """, "\(r.out)")
    }

    @Test func aCallFromAnotherABIKillsTheProcess() throws {
        // getpid (39) through the x32 ABI (bit 30): rules for x86-64 cannot judge it.
        let r = try runInJail("/usr/bin/perl -e 'syscall(0x40000000 + 39)'; echo \"status=$?\"")
        #expect(r.out == "status=\(128 + SIGSYS)\n", "\(r.out) \(r.err)")
    }
}
