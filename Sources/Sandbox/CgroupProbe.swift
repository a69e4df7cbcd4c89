#if canImport(Glibc)
import Glibc
#endif

/// The `ghcbox doctor` rows about cgroups: the layout (v1, v2 or hybrid) of the process's
/// own cgroup (from /proc/self/cgroup) and whether the memory, cpu and pids controllers
/// can be written beneath it. Not blocking: budgets need them, the jail itself does not;
/// without cpu, sessions run without their CPU quota and the other budgets still hold.
enum CgroupProbe {
    static let controllers = ["memory", "cpu", "pids"]

    struct Membership {
        /// controller name -> path, for v1 hierarchies.
        var v1: [String: String] = [:]
        /// The v2 path ("0::/path"), if there is a v2 hierarchy.
        var v2: String?
    }

    static func membership(_ text: String) -> Membership {
        var result = Membership()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0" && fields[1].isEmpty {
                result.v2 = String(fields[2])
            } else {
                for name in fields[1].split(separator: ",") { result.v1[String(name)] = String(fields[2]) }
            }
        }
        return result
    }

    static func rows(root: String = "/sys/fs/cgroup") -> [HostCheck.Row] {
        guard let bytes = try? readWholeFile("/proc/self/cgroup") else {
            return [row("cgroup layout", false, "cannot read /proc/self/cgroup", "mount /proc")]
        }
        let own = membership(String(decoding: bytes, as: UTF8.self))
        let pureV2 = own.v1.isEmpty && access(root + "/cgroup.controllers", F_OK) == 0
        let v2Root = pureV2 ? root : root + "/unified"
        let layout = pureV2 ? "v2" : (own.v2 != nil && !own.v1.isEmpty ? "hybrid (v1 controllers, v2 at \(v2Root))" : "v1")
        var rows = [row("cgroup layout", true, "\(layout); own cgroup: \(own.v2.map { "v2 \($0)" } ?? "") \(own.v1["memory"].map { "memory \($0)" } ?? "")", "")]

        for controller in controllers {
            if let path = own.v1[controller] {
                let dir = root + "/" + controller + (path == "/" ? "" : path)
                let writable = access(dir, W_OK) == 0
                // The quota needs the kernel's CFS bandwidth control (CONFIG_CFS_BANDWIDTH).
                let bandwidth = controller != "cpu" || access(dir + "/cpu.cfs_quota_us", F_OK) == 0
                let ok = writable && bandwidth
                let detail = !writable ? "\(dir) is not writable" : bandwidth ? "\(dir) is writable" : "\(dir) has no cpu.cfs_quota_us"
                rows.append(row("cgroup \(controller) (v1)", ok, detail + quota(controller, ok),
                                "run the kernel in a cgroup it may write (systemd: Delegate=yes; docker: --cgroupns=private with a writable /sys/fs/cgroup)"))
            } else if let path = own.v2 {
                let dir = v2Root + (path == "/" ? "" : path)
                let available = (try? readWholeFile(dir + "/cgroup.controllers"))
                    .map { String(decoding: $0, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init) } ?? []
                let has = available.contains(controller)
                let writable = access(dir, W_OK) == 0 && access(dir + "/cgroup.subtree_control", W_OK) == 0
                rows.append(row("cgroup \(controller) (v2)", has && writable,
                                (has ? (writable ? "enabled in \(dir), writable" : "\(dir) is not writable")
                                    : "not enabled in \(dir)/cgroup.controllers") + quota(controller, has && writable),
                                "delegate the controller to the kernel's cgroup (systemd: Delegate=yes; or enable it in the parent's cgroup.subtree_control)"))
            } else {
                rows.append(row("cgroup \(controller)", false, "no hierarchy has it" + quota(controller, false),
                                "mount the cgroup filesystem"))
            }
        }
        rows.append(joinLatency(mounts: (try? readWholeFile("/proc/self/mounts")).map { String(decoding: $0, as: UTF8.self) } ?? ""))
        return rows
    }

    /// What the cpu row means for sessions: their CPU quota (`cpus`), or none.
    static func quota(_ controller: String, _ ok: Bool) -> String {
        guard controller == "cpu" else { return "" }
        return ok ? ": sessions get their CPU quota (cpus)" : ": sessions run without a CPU quota (cpus is not enforced)"
    }

    /// Moving a process into a cgroup first waits one RCU grace period (5 to 25 ms measured
    /// here), which lands on every session's start, unless the host keeps the kernel's cgroup
    /// lock ready for moves: the cgroup2 mount option `favordynmods` (Linux 6.0+) does that for
    /// every hierarchy, v1 ones included, at a small cost to every fork and exit on the host.
    static func joinLatency(mounts: String) -> HostCheck.Row {
        let cgroup2 = mounts.split(separator: "\n").map { $0.split(separator: " ") }
            .first { $0.count >= 4 && $0[2] == "cgroup2" }
        guard let cgroup2 else {
            // The option is host-wide: a container that sees no cgroup2 mount cannot tell.
            return row("cgroup joins", false, "no cgroup2 mount visible: cannot tell whether each session's cgroup join waits an RCU grace period (5 to 25 ms)",
                       "optional, for faster session starts: on the host, mount -o remount,favordynmods on its cgroup2 mount (Linux 6.0+)")
        }
        let favored = cgroup2[3].split(separator: ",").contains("favordynmods")
        return row("cgroup joins", favored,
                   favored ? "\(cgroup2[1]) has favordynmods: joining a session's cgroup does not wait"
                       : "\(cgroup2[1]) lacks favordynmods: each session's cgroup join waits an RCU grace period (5 to 25 ms)",
                   "optional, for faster session starts: mount -o remount,favordynmods \(cgroup2[1]) (Linux 6.0+; costs every fork a little)")
    }

    private static func row(_ check: String, _ ok: Bool, _ detail: String, _ fix: String) -> HostCheck.Row {
        HostCheck.Row(check: check, ok: ok, detail: detail, fix: ok ? "" : fix, blocking: false)
    }
}
