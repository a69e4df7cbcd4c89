import CSandbox
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Empties a running jail's writable directories (`/scratch`, `/tmp`) between cells, from
/// the host side and without a new sandbox: through the jail's root descriptor
/// (`ChildProcess.rootFD`; `/proc/<pid>/root` for a child that has none), deleting
/// with `openat`/`unlinkat` relative to directory descriptors, never following a symbolic
/// link (links are removed, not resolved), and refusing any directory that is not a tmpfs.
///
/// What is kept: nothing by default. `keep` names top-level entries to leave in place, but
/// anything kept is within a cell's reach (the jail's user owns it), so a kept entry can
/// carry data from one cell to the next; GHCi 9.x with `-v0`, stdin on a pipe and
/// `-ignore-dot-ghci` writes no session file under HOME while it runs, so ghcbox keeps none.
///
/// Only the filesystem is wiped: a thread or process a cell left running survives.
public struct ScratchWiper: Sendable {
    public let process: ChildProcess
    public var directories: [String]
    public var keep: Set<String>

    public init(process: ChildProcess, directories: [String] = ["/scratch", "/tmp"], keep: Set<String> = []) {
        self.process = process
        self.directories = directories
        self.keep = keep
    }

    /// Deletes everything in the directories; returns how many entries were removed.
    @discardableResult
    public func wipe() throws(SandboxError) -> Int {
        let rootPath = process.rootFD != nil ? "the jail's root" : "/proc/\(process.pid)/root"
        let root: Int32
        do {
            root = try retryingInterrupts {
                if let jailRoot = process.rootFD { fcntl(jailRoot.rawValue, F_DUPFD_CLOEXEC, 0) }
                else { open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
            }
        } catch {
            throw SandboxError(.wipe, errno: error.rawValue, detail: rootPath)
        }
        defer { closeDescriptor(root) }
        // Opened before this check, so the pid was still the (unreaped) jail at open time:
        // never a recycled pid whose root is the host's.
        guard process.exitStatus == nil else { throw SandboxError(.wipe, errno: ESRCH, detail: rootPath) }

        var removed = 0
        for directory in directories {
            let relative = String(directory.drop { $0 == "/" })
            let fd: Int32
            do {
                fd = try retryingInterrupts { openat(root, relative, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            } catch {
                throw SandboxError(.wipe, errno: error.rawValue, detail: directory)
            }
            defer { closeDescriptor(fd) }
            guard csb_fd_is_tmpfs(fd) == 1 else {
                throw SandboxError(.wipe, errno: EXDEV, detail: "\(directory) is not a tmpfs")
            }
            removed += try Tree(top: fd, keep: keep).wipe()
        }
        return removed
    }
}

/// The deletion of one directory's contents.
private struct Tree {
    let top: Int32
    let keep: Set<String>
    /// Deeper than this, a directory is moved up to `top` instead of opened in place, so
    /// the number of open descriptors stays bounded however deep a cell nests them.
    static let maxDepth = 32

    func wipe() throws(SandboxError) -> Int {
        var removed = 0
        // Moving deep directories up adds entries to `top`: repeat until it is empty.
        while true {
            let (count, moved) = try empty(top, depth: 0)
            removed += count
            if moved == 0 { return removed }
        }
    }

    /// Empties `dir`; returns (entries removed, directories moved up to `top`).
    private func empty(_ dir: Int32, depth: Int) throws(SandboxError) -> (Int, Int) {
        var removed = 0, moved = 0
        for (name, isDirectory) in try entries(dir) {
            if depth == 0 && keep.contains(text(name)) {
                continue
            }
            if !isDirectory && unlinkat(dir, name, 0) == 0 {
                removed += 1
                continue
            }
            if !isDirectory && errno != EISDIR && errno != EPERM {
                if errno == ENOENT { continue }
                if errno == EACCES, makeWritable(dir), unlinkat(dir, name, 0) == 0 { removed += 1; continue }
                throw SandboxError(.wipe, errno: errno, detail: text(name))
            }
            if depth >= Self.maxDepth {
                let flat = ".ghcbox-wipe-\(depth)-\(removed)-\(moved)-\(UInt32.random(in: 0...UInt32.max))"
                if renameat(dir, name, top, flat) == 0 { moved += 1; continue }
            }
            let sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if sub < 0 {
                if errno == ENOENT { continue }
                if errno == ELOOP || errno == ENOTDIR, unlinkat(dir, name, 0) == 0 { removed += 1; continue }
                throw SandboxError(.wipe, errno: errno, detail: text(name))
            }
            _ = makeWritable(sub)
            let (count, subMoved) = try empty(sub, depth: depth + 1)
            closeDescriptor(sub)
            removed += count
            moved += subMoved
            if unlinkat(dir, name, AT_REMOVEDIR) == 0 || errno == ENOENT {
                removed += 1
            } else if errno == EACCES, makeWritable(dir), unlinkat(dir, name, AT_REMOVEDIR) == 0 {
                removed += 1
            } else {
                throw SandboxError(.wipe, errno: errno, detail: text(name))
            }
        }
        return (removed, moved)
    }

    private func text(_ name: [CChar]) -> String {
        String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A cell may have chmod'ed a directory to 0: its owner (the host user the jail's
    /// user maps to) can make it writable again.
    private func makeWritable(_ dir: Int32) -> Bool {
        fchmod(dir, 0o700) == 0
    }

    /// Names in `dir` (without "." and ".."), read completely before any is deleted. Names
    /// stay raw NUL-terminated bytes: a cell may use any bytes but '/' and NUL in a name.
    private func entries(_ dir: Int32) throws(SandboxError) -> [([CChar], Bool)] {
        let copy = dup(dir)
        guard copy >= 0, let stream = fdopendir(copy) else {
            let err = errno
            if copy >= 0 { closeDescriptor(copy) }
            throw SandboxError(.wipe, errno: err, detail: "readdir")
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var result: [([CChar], Bool)] = []
        while let entry = readdir(stream) {
            let name: [CChar] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw.prefix { $0 != 0 }.map { CChar(bitPattern: $0) } + [0]
            }
            if name == [46, 0] || name == [46, 46, 0] { continue }
            result.append((name, entry.pointee.d_type == UInt8(DT_DIR)))
        }
        return result
    }
}

/// Closes a raw descriptor of the tree walk (the walk works in raw numbers for `*at` and `fdopendir`).
private func closeDescriptor(_ fd: Int32) {
    try? FileDescriptor(rawValue: fd).close()
}
