import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// What a jail is made of: its filesystem, identity, environment, limits and seccomp policy.
/// `JailSpawner` turns it into a `csb_jail` for `csb_spawn_jailed`.
public struct SandboxSpec: Sendable {
    /// A read-only bind of a host path (file or directory) at a path inside the jail.
    public struct Bind: Sendable, Equatable {
        public var source: String
        public var target: String
        public init(_ source: String, at target: String? = nil) {
            self.source = source
            self.target = target ?? source
        }
    }

    /// A symbolic link inside the jail.
    public struct Symlink: Sendable, Equatable {
        public var path: String
        public var target: String
        public init(_ path: String, to target: String) {
            self.path = path
            self.target = target
        }
    }

    /// A size-limited writable tmpfs inside the jail.
    public struct Tmpfs: Sendable, Equatable {
        public var path: String
        public var sizeMB: UInt64
        public var maxInodes: UInt64
        public var mode: UInt32
        public init(_ path: String, sizeMB: UInt64, maxInodes: UInt64 = 16384, mode: UInt32 = 0o755) {
            self.path = path
            self.sizeMB = sizeMB
            self.maxInodes = maxInodes
            self.mode = mode
        }
    }

    /// A file generated into the jail's (read-only) root.
    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: String
        public var mode: UInt32
        public init(_ path: String, contents: String, mode: UInt32 = 0o644) {
            self.path = path
            self.contents = contents
            self.mode = mode
        }
    }

    /// Resource limits; `nil` leaves the kernel process's limit. There is deliberately no
    /// address-space limit: GHC reserves about 1 TiB of it (bound memory with the cgroup).
    ///
    /// The last four count per user *and user namespace* (Linux 5.14+): the jail's user in
    /// the jail's own namespace, so they bound this jail alone, however many host processes
    /// share its host uid. Each use also counts one level up, against the user that runs
    /// the kernel (the namespace's owner), so a small limit here also keeps a cell from
    /// using up that user's share (a root kernel's jail could otherwise exhaust root's).
    public struct Limits: Sendable, Equatable {
        public var coreBytes: UInt64? = 0
        public var openFiles: UInt64? = 1024
        public var fileSizeBytes: UInt64? = 1 << 30
        public var stackBytes: UInt64? = 64 << 20
        /// RLIMIT_SIGPENDING: signals queued at once (real-time signals, POSIX timers; each
        /// timer holds one). GHC's runtime ticks with a timerfd and queues none; an ordinary
        /// signal is delivered even past the limit, only its details are lost.
        public var pendingSignals: UInt64? = 128
        /// RLIMIT_MSGQUEUE: bytes of POSIX message queues, room for one queue of Linux's
        /// default size (10 messages of 8 KiB). GHCi uses none.
        public var messageQueueBytes: UInt64? = 128 << 10
        /// RLIMIT_MEMLOCK: memory a process may lock (mlock, SHM_LOCK, memfd_secret), which
        /// the kernel can neither swap nor reclaim; Linux's default before 5.16. GHC locks none.
        public var lockedMemoryBytes: UInt64? = 64 << 10
        /// RLIMIT_NPROC: processes and threads of the jail's user, the process budget's
        /// stand-in when no session cgroup holds it. The cgroup counts pid 1 too, so with one
        /// and this set to the same budget the cgroup's limit is always met first.
        public var processes: UInt64? = nil
        public init() {}
    }

    public var readOnlyBinds: [Bind]
    public var symlinks: [Symlink]
    /// Extra generated files; `/etc/passwd`, `group`, `hosts` and `nsswitch.conf` come from `etcFiles`.
    public var extraFiles: [File]
    /// Names of host character devices bound into `/dev`.
    public var devices: [String]
    public var tmpfs: [Tmpfs]
    public var workingDirectory: String
    public var environment: [String: String]
    public var limits: Limits
    public var uid: UInt32
    public var gid: UInt32
    /// The host uid/gid the jail's user is (what `ls -n` shows on the host). nil: the
    /// kernel's own euid/egid, or, when the kernel runs as root, `JailIdentity.forThisKernel`
    /// (a uid of the kernel's own from the range /etc/subuid gives ghcbox, else 65534,
    /// "nobody"). Never 0: a jail that is host uid 0 owns every root-owned file it can
    /// see, such as the host's sysctls in /proc/sys, whatever its capabilities. A root
    /// kernel also creates the jail's user namespace as this uid, unless it is nobody's
    /// (see jail_owner.c).
    public var hostUID: UInt32?
    public var hostGID: UInt32?
    public static let unprivilegedHostID: UInt32 = 65534
    public var userName: String
    public var home: String
    public var hostname: String
    /// `cgroup.procs` files the jail's pid 1 is written to before it goes on (host paths).
    public var cgroupProcs: [String]
    public var seccomp: SeccompPolicy

    public init(
        readOnlyBinds: [Bind] = [], symlinks: [Symlink] = [], extraFiles: [File] = [],
        devices: [String] = ["null", "zero", "full", "random", "urandom"],
        tmpfs: [Tmpfs] = [], workingDirectory: String = "/", environment: [String: String] = [:],
        limits: Limits = Limits(), uid: UInt32 = 1000, gid: UInt32 = 1000, userName: String = "ghcbox",
        home: String = "/", hostname: String = "ghcbox", cgroupProcs: [String] = [],
        seccomp: SeccompPolicy = SeccompPolicy(rules: [])
    ) {
        self.readOnlyBinds = readOnlyBinds
        self.symlinks = symlinks
        self.extraFiles = extraFiles
        self.devices = devices
        self.tmpfs = tmpfs
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.limits = limits
        self.uid = uid
        self.gid = gid
        self.hostUID = nil
        self.hostGID = nil
        self.userName = userName
        self.home = home
        self.hostname = hostname
        self.cgroupProcs = cgroupProcs
        self.seccomp = seccomp
    }

    /// The jail GHCi runs in (Debian's GHC; usr-merged layout):
    /// read-only `/usr`, `/var/lib/ghc` (the package database), `/etc/ld.so.cache`, and
    /// fontconfig's settings and cache (`/etc/fonts`, `/var/cache/fontconfig`), without
    /// which cairo draws a chart's text in a fallback font and complains on stderr;
    /// `/bin`, `/lib`, `/lib64`, `/sbin` as links into `/usr`; a generated `/etc`;
    /// tmpfs `/scratch` (HOME and working directory, 256 MB) and `/tmp` (64 MB).
    /// Binds whose source does not exist on this host are left out (e.g. `/usr/lib64`).
    public static func ghciDefault(policy: SeccompPolicy) -> SandboxSpec {
        var spec = SandboxSpec(
            readOnlyBinds: [Bind("/usr"), Bind("/var/lib/ghc"), Bind("/etc/ld.so.cache"), Bind("/etc/fonts"),
                            Bind("/var/cache/fontconfig")],
            symlinks: [
                Symlink("/bin", to: "usr/bin"), Symlink("/lib", to: "usr/lib"),
                Symlink("/lib64", to: "usr/lib64"), Symlink("/sbin", to: "usr/sbin"),
            ],
            tmpfs: [Tmpfs("/scratch", sizeMB: 256, mode: 0o700), Tmpfs("/tmp", sizeMB: 64, mode: 0o1777)],
            workingDirectory: "/scratch",
            home: "/scratch",
            seccomp: policy
        )
        spec.readOnlyBinds.removeAll { access($0.source, F_OK) != 0 }
        spec.environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": spec.home,
            "USER": spec.userName,
            "LOGNAME": spec.userName,
            "LANG": "C.UTF-8",
            "TMPDIR": "/tmp",
            "TERM": "dumb",
        ]
        return spec
    }

    /// The generated `/etc`: the sandbox user and group, localhost, and a resolver that
    /// only reads files (there is no network to ask anyway).
    public var etcFiles: [File] {
        [
            File("/etc/passwd", contents: """
                root:x:0:0:root:/:/usr/sbin/nologin
                \(userName):x:\(uid):\(gid):ghcbox sandbox:\(home):/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin

                """),
            File("/etc/group", contents: """
                root:x:0:
                \(userName):x:\(gid):
                nogroup:x:65534:

                """),
            File("/etc/hosts", contents: """
                127.0.0.1 localhost \(hostname)
                ::1 localhost ip6-localhost ip6-loopback

                """),
            File("/etc/nsswitch.conf", contents: """
                passwd: files
                group: files
                hosts: files
                networks: files
                protocols: files
                services: files

                """),
            File("/etc/hostname", contents: "\(hostname)\n"),
        ]
    }

    /// The host ids the jail's user maps onto, resolved as described at `hostUID`.
    var resolvedHostIDs: (uid: UInt32, gid: UInt32) {
        let own = geteuid() == 0 ? JailIdentity.forThisKernel : JailIdentity(uid: geteuid(), gid: getegid(), source: .kernelUser)
        return (hostUID ?? own.uid, hostGID ?? own.gid)
    }

    /// Every path inside the jail must be absolute and free of `..`; the jail is never host root.
    func validate() throws(SandboxError) {
        let host = resolvedHostIDs
        if host.uid == 0 || host.gid == 0 {
            throw SandboxError(.spec, errno: EPERM, detail: "the jail's user must not be host uid/gid 0")
        }
        let paths = readOnlyBinds.map(\.target) + symlinks.map(\.path) + (etcFiles + extraFiles).map(\.path)
            + tmpfs.map(\.path) + [workingDirectory]
        for path in paths + readOnlyBinds.map(\.source) {
            if !path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                throw SandboxError(.spec, errno: EINVAL, detail: "path '\(path)' must be absolute, without '..'")
            }
        }
        for device in devices where device.isEmpty || device.contains("/") {
            throw SandboxError(.spec, errno: EINVAL, detail: "device '\(device)' must be a name under /dev")
        }
        for t in tmpfs where t.sizeMB == 0 {
            throw SandboxError(.spec, errno: EINVAL, detail: "tmpfs '\(t.path)' needs a size")
        }
    }
}

/// The host uid and gid a root kernel's jails are: a pair of the kernel's own, from the ranges
/// that /etc/subuid and /etc/subgid give the name `ghcbox` (for example `ghcbox:2000000:65536`
/// in both), held for the kernel's life by a lock in /run/ghcbox/ids, so that no host account,
/// other kernel or root shares the jail's per-user counters (pipe buffers, epoll watches, and,
/// as the owner of the jail's user namespace, its processes, queued signals and inotify
/// instances) or can signal its processes. Without such a range, or with every id in it taken,
/// `nobody` (65534), which every such kernel's jails then share with the host's own nobody;
/// root then owns the jail's user namespace, since a nobody-owned one would be open to every
/// host process running as nobody.
public struct JailIdentity: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// From the ghcbox range of /etc/subuid and /etc/subgid.
        case range
        /// 65534: a root kernel without a range.
        case nobody
        /// The kernel's own uid: all a kernel that is not root can map.
        case kernelUser
    }

    public var uid: UInt32
    public var gid: UInt32
    public var source: Source

    public static let rangeName = "ghcbox"
    public static let lockDirectory = "/run/ghcbox/ids"

    /// Chosen once, at the first jail, and kept (with its lock) while the kernel runs.
    public static let forThisKernel: JailIdentity = {
        guard let (identity, lock) = take(subuid: "/etc/subuid", subgid: "/etc/subgid", locks: lockDirectory,
                                          start: Int(getpid())) else {
            return JailIdentity(uid: SandboxSpec.unprivilegedHostID, gid: SandboxSpec.unprivilegedHostID, source: .nobody)
        }
        _ = lock // never closed: the lock lasts as long as the process
        return identity
    }()

    /// The first free pair of the ranges, looking from offset `start` (modulo their size) on,
    /// and the open, locked file that holds it; nil without ranges or a free pair.
    static func take(subuid: String, subgid: String, locks: String, start: Int) -> (JailIdentity, Int32)? {
        guard let uids = range(in: subuid), let gids = range(in: subgid), ownedByRoot(locks) else { return nil }
        let count = min(uids.count, gids.count)
        for step in 0..<min(count, 4096) {
            let offset = UInt32((start + step) % count)
            let identity = JailIdentity(uid: uids.first + offset, gid: gids.first + offset, source: .range)
            let fd = open(locks + "/\(identity.uid)", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 { return nil }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return (identity, fd) }
            try? FileDescriptor(rawValue: fd).close()
        }
        return nil
    }

    /// The `ghcbox:first:count` line of a subordinate-id file; ids 0 and 65534 never come from it.
    static func range(in path: String) -> (first: UInt32, count: Int)? {
        guard let bytes = try? readWholeFile(path) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0] == Self.rangeName, let first = UInt32(fields[1]), let count = UInt32(fields[2]),
                  first > 65534, count > 0, UInt64(first) + UInt64(count) <= UInt64(UInt32.max) else { continue }
            return (first, Int(count))
        }
        return nil
    }

    /// Makes the lock directory (mode 0700) and checks that only root can have put anything in it.
    private static func ownedByRoot(_ directory: String) -> Bool {
        var parent = ""
        for part in directory.split(separator: "/") {
            parent += "/" + part
            if mkdir(parent, 0o700) != 0 && errno != EEXIST { return false }
        }
        var st = stat()
        return lstat(directory, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR && st.st_uid == 0 && st.st_mode & 0o022 == 0
    }
}
