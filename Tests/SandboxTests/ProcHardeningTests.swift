import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// When the kernel runs as root, the jail must not be host root in disguise.
@Suite(.serialized) struct ProcHardeningTests {
    @Test func hostSysctlsAndSysrqAreNotWritable() throws {
        let r = try runInJail("""
            for f in /proc/sys/vm/drop_caches /proc/sys/kernel/core_pattern /proc/sysrq-trigger; do
              if [ -w "$f" ]; then echo "writable: $f"; fi
            done
            (echo 1 > /proc/sys/vm/drop_caches) 2>/dev/null && echo "wrote drop_caches"
            for f in environ maps mem; do head -c 1 /proc/1/$f >/dev/null 2>&1 && echo "read pid 1 $f"; done
            for d in cwd root fd; do ls /proc/1/$d/ >/dev/null 2>&1 && echo "read pid 1 $d"; done
            echo "pid 1 is $(tr '\\0' ' ' < /proc/1/cmdline)"
            cat /proc/self/uid_map
            echo done
            """)
        #expect(!r.out.contains("writable"), "\(r.out)")
        #expect(!r.out.contains("wrote"), "\(r.out)")
        #expect(!r.out.contains("read pid 1"), "pid 1 is a copy of the kernel: its memory, environment, directories and descriptors must stay out of reach: \(r.out)")
        #expect(r.out.contains("pid 1 is ghcbox-jail-init"), "\(r.out)")
        #expect(r.out.contains("done"))
        if geteuid() == 0 {
            let map = r.out.split(separator: "\n").first { $0.contains("1000") }?.split(separator: " ").map(String.init)
            let host = try defaultSpec().resolvedHostIDs.uid
            #expect(host != 0 && map == ["1000", "\(host)", "1"], "a root kernel's jail must be an unprivileged host uid")
        }
    }

    /// Docker's masked paths: host kernel memory, every user's keys, every CPU's timers and
    /// interrupts, hardware. Files read as empty (they are /dev/null, where writes vanish),
    /// folders list as empty and take no new files.
    @Test func hostOnlyProcFilesAreMasked() throws {
        let r = try runInJail("""
            for f in kcore keys timer_list sched_debug interrupts latency_stats timer_stats; do
              [ -e /proc/$f ] || continue
              echo "$f $(cat /proc/$f 2>&1 | wc -c)"
            done
            for d in acpi scsi asound; do
              [ -e /proc/$d ] || continue
              echo "$d $(ls -A /proc/$d | wc -l)"
              touch /proc/$d/x 2>/dev/null && echo "wrote $d"
            done
            echo "exe $(readlink /proc/self/exe)"
            echo "meminfo $(grep -c MemTotal /proc/meminfo)"
            """)
        #expect(r.status == .exited(0), "\(r.err)")
        let sizes = Dictionary(r.out.split(separator: "\n").map { line -> (String, String) in
            let words = line.split(separator: " ")
            return (String(words.first ?? ""), String(words.last ?? ""))
        }, uniquingKeysWith: { a, _ in a })
        // On the host /proc/interrupts is readable by everyone and never empty: masking shows here.
        #expect(access("/proc/interrupts", R_OK) == 0)
        #expect(sizes["interrupts"] == "0", "\(r.out)")
        for name in ["kcore", "keys", "timer_list", "sched_debug", "latency_stats", "timer_stats", "acpi", "scsi",
                     "asound"] where access("/proc/" + name, F_OK) == 0 {
            #expect(sizes[name] == "0", "\(name): \(r.out)")
        }
        #expect(!r.out.contains("wrote"), "\(r.out)")
        // What GHC and ordinary tools read is still there.
        #expect(sizes["exe"] == "/usr/bin/readlink", "\(r.out)")
        #expect(sizes["meminfo"] == "1", "\(r.out)")
    }
}
