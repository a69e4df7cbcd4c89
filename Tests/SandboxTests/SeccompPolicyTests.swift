import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

@Suite struct SeccompPolicyTests {
    @Test func theRepositoryPolicyLoadsAndCompiles() throws {
        let policy = try SeccompPolicy.load(path: policyPath)
        try policy.validate()
        let names = Set(policy.rules.map(\.syscall))
        for required in ["mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "clone", "clone3", "ptrace",
                         "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key", "bpf",
                         "perf_event_open", "userfaultfd", "init_module", "finit_module", "delete_module",
                         "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct", "quotactl",
                         "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "io_uring_setup",
                         "io_uring_enter", "io_uring_register", "personality", "open_by_handle_at",
                         "name_to_handle_at", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
                         "fspick", "mount_setattr", "iopl", "ioperm", "syslog"] {
            #expect(names.contains(required), "\(required) is not in the policy")
        }
        #expect(policy.rules.first { $0.syscall == "clone3" }?.errno == ENOSYS)
        #expect(policy.rules.allSatisfy { !$0.comment.isEmpty })
    }

    @Test func rulesOfEveryKindParse() throws {
        let policy = try SeccompPolicy(parsing: """
            # a comment line

            deny mount EPERM   # why
            deny-if-flags clone CLONE_NEWUSER|0x20000 EPERM # why
            deny-unless-value personality 0x0,4294967295 EPERM # why
            """)
        #expect(policy.rules == [
            .init(syscall: "mount", match: .always, errno: EPERM, comment: "why", line: 3),
            .init(syscall: "clone", match: .anyFlag(0x1000_0000 | 0x20000), errno: EPERM, comment: "why", line: 4),
            .init(syscall: "personality", match: .unlessValue([0, 0xffff_ffff]), errno: EPERM, comment: "why", line: 5),
        ])
        try policy.validate()
    }

    @Test(arguments: [
        ("deny mount EPERM # ok\nbogus mount EPERM # no\n", "line 2"),
        ("deny mount EPERM\n", "line 1: a rule needs a '# comment'"),
        ("deny mount EWHAT # x\n", "unknown errno"),
        ("deny-if-flags clone CLONE_NOPE EPERM # x\n", "unknown flag"),
        ("deny mount # x\n", "expected 'deny SYSCALL ERRNO'"),
    ])
    func badLinesAreNamed(text: String, message: String) {
        #expect {
            _ = try SeccompPolicy(parsing: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func anUnknownSystemCallIsNamedByLine() throws {
        let policy = try SeccompPolicy(parsing: "deny mount EPERM # a\n\ndeny not_a_syscall EPERM # b\n")
        #expect {
            try policy.validate()
        } throws: { error in
            "\(error)".contains("line 3: 'not_a_syscall'")
        }
    }
}
