/// Where the kernel process's own cgroup is, in whichever layout the host has: sessions'
/// cgroups are created beneath it and nowhere else, so whoever started the kernel
/// (systemd, a container runtime, JupyterHub) keeps accounting for all of them.
///
/// Tests point a layout at a directory tree that mimics cgroupfs: `.v2("/tmp/fake")`.
public enum CgroupLayout: Sendable, Equatable {
    /// cgroup v1 (or hybrid, whose controllers are v1): controller name -> the directory of
    /// the process's own cgroup in that controller's hierarchy. Co-mounted controllers
    /// (`cpu,cpuacct`) map to the same directory.
    case v1([String: String])
    /// cgroup v2: the directory of the process's own cgroup.
    case v2(String)
    /// No usable hierarchy; the reason says why.
    case unavailable(String)

    /// The v1 controllers a session needs: the memory limit, CPU accounting, the pids limit.
    public static let v1Controllers = ["memory", "cpuacct", "pids"]
    /// The v1 controller that holds the session's CPU quota. A session goes without the
    /// quota where it is missing: the other budgets do not depend on it.
    public static let v1QuotaController = "cpu"

    /// The layout of this process, from /proc/self/mountinfo and /proc/self/cgroup.
    public static func detect() -> CgroupLayout {
        let mountinfo: [UInt8]
        let membership: [UInt8]
        do throws(SandboxError) {
            mountinfo = try readWholeFile("/proc/self/mountinfo")
            membership = try readWholeFile("/proc/self/cgroup")
        } catch {
            return .unavailable("cannot read \(error.detail): is /proc mounted?")
        }
        return detect(mountinfo: String(decoding: mountinfo, as: UTF8.self),
                      selfCgroup: String(decoding: membership, as: UTF8.self))
    }

    /// The layout described by the text of a mountinfo file and a /proc/PID/cgroup file.
    /// v1 wins when the memory controller is mounted there (a hybrid host's v2 hierarchy
    /// has no controllers to give).
    public static func detect(mountinfo: String, selfCgroup: String) -> CgroupLayout {
        let own = CgroupProbe.membership(selfCgroup)
        var v1Mounts: [(controllers: [String], root: String, point: String)] = []
        var v2Mounts: [(root: String, point: String)] = []
        for line in mountinfo.split(separator: "\n") {
            let halves = line.split(separator: " - ", maxSplits: 1)
            guard halves.count == 2 else { continue }
            let fields = halves[0].split(separator: " ")
            let tail = halves[1].split(separator: " ")
            guard fields.count >= 5, tail.count >= 3 else { continue }
            let root = String(fields[3]), point = String(fields[4])
            if tail[0] == "cgroup" {
                v1Mounts.append((tail[2].split(separator: ",").map(String.init), root, point))
            } else if tail[0] == "cgroup2" {
                v2Mounts.append((root, point))
            }
        }

        if own.v1["memory"] != nil, v1Mounts.contains(where: { $0.controllers.contains("memory") }) {
            var directories: [String: String] = [:]
            for controller in v1Controllers + [v1QuotaController] {
                guard let path = own.v1[controller] else { continue }
                for mount in v1Mounts where mount.controllers.contains(controller) {
                    if let dir = directory(of: path, mountRoot: mount.root, mountPoint: mount.point) {
                        directories[controller] = dir
                        break
                    }
                }
            }
            return .v1(directories)
        }
        if let path = own.v2 {
            for mount in v2Mounts {
                if let dir = directory(of: path, mountRoot: mount.root, mountPoint: mount.point) { return .v2(dir) }
            }
            return .unavailable("the process's v2 cgroup \(path) is not under any mounted cgroup2 filesystem")
        }
        return .unavailable("no cgroup filesystem holds this process's memory controller")
    }

    /// The directory of cgroup `path` through a mount of `mountRoot` at `mountPoint`, if
    /// that mount shows it.
    static func directory(of path: String, mountRoot: String, mountPoint: String) -> String? {
        if path.hasPrefix("/..") { return nil } // outside our cgroup namespace
        if mountRoot == "/" { return path == "/" ? mountPoint : mountPoint + path }
        if path == mountRoot { return mountPoint }
        if path.hasPrefix(mountRoot + "/") { return mountPoint + path.dropFirst(mountRoot.count) }
        return nil
    }
}
