import Foundation
import GHCiRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Where runtime packages are kept between kernel starts: `$GHCBOX_CACHE_DIR`, else
/// `/var/cache/ghcbox` for root, else `$XDG_CACHE_HOME/ghcbox` or `~/.cache/ghcbox`.
/// The first start with a new GHC (or a new ghcbox) builds one there, which takes about a
/// second; `ghcbox install` run as root builds it ahead in `/var/cache/ghcbox`, which every
/// user's kernel looks in first (the kernel image does this when it is built).
public enum RuntimePackageCache {
    public static let systemRoot = "/var/cache/ghcbox"

    public static var root: String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["GHCBOX_CACHE_DIR"], !dir.isEmpty { return dir }
        // Root's jails run as nobody, who cannot pass through /root (mode 0700) to the package.
        if geteuid() == 0 { return systemRoot }
        if let dir = env["XDG_CACHE_HOME"], dir.hasPrefix("/") { return dir + "/ghcbox" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.cache/ghcbox"
    }

    /// What to do when `prepare` fails.
    public static func fix(_ toolchain: GHCToolchain) -> String {
        "Check that \(toolchain.ghc) and \(toolchain.ghcPkg) exist, or set GHCBOX_CACHE_DIR to a writable folder that others can enter."
    }

    /// The package, found or built. `jailed`: it must also be reachable by the jail's user.
    public static func prepare(_ toolchain: GHCToolchain, ghcVersion: String, jailed: Bool = false) throws -> RuntimePackage {
        let root = root
        let package = try RuntimePackage.prepare(toolchain: toolchain, ghcVersion: ghcVersion, cacheRoot: root,
                                                 sharedRoots: root == systemRoot ? [] : [systemRoot])
        if jailed, let closed = closedFolder(on: package.directory) {
            throw RuntimeError(.runtimePackage, detail: "the sandbox user cannot enter \(closed) to reach \(package.directory)")
        }
        return package
    }

    /// A kernel run by root jails GHCi as another user (nobody), who must be able to reach
    /// the package: the first folder on its path that others cannot enter, if any.
    private static func closedFolder(on path: String) -> String? {
        guard geteuid() == 0 else { return nil }
        var folder = ""
        for part in path.split(separator: "/") {
            folder += "/" + part
            var info = stat()
            if stat(folder, &info) == 0, info.st_mode & S_IXOTH == 0 { return folder }
        }
        return nil
    }
}
