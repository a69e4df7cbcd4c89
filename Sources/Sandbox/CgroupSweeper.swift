import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Removes session cgroups that a killed kernel left behind (SIGKILL gives it no
/// chance to clean up): empty `ghcbox-*` directories beside where this kernel
/// makes its own, older than a minute, so a neighbour's cgroup that is about to
/// receive its jail is never touched. Run at kernel start.
public enum CgroupSweeper {
    /// `remove`: takes a cgroup directory away, true when it did (a parameter so tests can
    /// run on a plain directory tree, where rmdir refuses directories with files in them).
    @discardableResult
    public static func removeStale(layout: CgroupLayout = .detect(), prefix: String = "ghcbox-", minimumAge: TimeInterval = 60,
                                   remove: (String) -> Bool = { rmdir($0) == 0 }) -> Int {
        var parents: [String]
        switch layout {
        case .v1(let own): parents = Array(Set(own.values))
        case .v2(let own): parents = [own, (own as NSString).lastPathComponent == "kernel" ? (own as NSString).deletingLastPathComponent : own]
        case .unavailable: return 0
        }
        parents = Array(Set(parents))
        var removed = 0
        let cutoff = Date().addingTimeInterval(-minimumAge)
        for parent in parents {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            for name in entries where name.hasPrefix(prefix) {
                let path = parent + "/" + name
                guard let made = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                      made < cutoff,
                      let procs = try? String(contentsOfFile: path + "/cgroup.procs", encoding: .utf8),
                      procs.isEmpty else { continue }
                if remove(path) { removed += 1 }
            }
        }
        return removed
    }
}
