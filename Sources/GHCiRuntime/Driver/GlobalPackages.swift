import Foundation
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// The units of a GHC's global package database (where Debian's `libghc-*-dev` packages
/// go), remembered between kernel starts.
///
/// Asking `ghc` and `ghc-pkg` takes a few tenths of a second, a large part of a kernel's
/// start, so the answer is kept in the cache as a small file with the database's
/// folder and the stamp of its `package.cache`, which `ghc-pkg` rewrites whenever a
/// package comes or goes: a kernel start reads the file and checks one stamp, and asks
/// again only when the stamp has changed.
struct GlobalPackages: Equatable, Sendable {
    /// The database's folder.
    let database: String
    /// `package.cache`'s modification time, size and inode when the units were listed.
    let stamp: String
    /// Unit ids in `ghc-pkg`'s order (by name, then version): `Chart-1.9.4-1PuOJkJ0IijH4ypSRXAHOI`, `base-4.15.1.0`.
    let units: [String]

    /// The unit of package `name`, its highest version if there are several.
    func unit(of name: String) -> String? {
        units.last { $0.hasPrefix(name + "-") && $0.dropFirst(name.count + 1).first?.isNumber == true }
    }

    /// The units now: from a record in `roots` whose stamp still holds, else asked of the
    /// tools and recorded in the last root. nil when the tools cannot say.
    static func current(ghc: String, ghcPkg: String, roots: [String], recordName: String) -> GlobalPackages? {
        for root in roots {
            if let record = try? String(contentsOfFile: root + "/" + recordName, encoding: .utf8),
               let packages = GlobalPackages(record: record), stamp(of: packages.database) == packages.stamp {
                return packages
            }
        }
        guard let packages = try? probe(ghc: ghc, ghcPkg: ghcPkg) else { return nil }
        if let root = roots.last { packages.save(to: root + "/" + recordName) }
        return packages
    }

    /// Asks the tools. The stamp is taken first, so a package installed meanwhile makes
    /// the next start ask again rather than go unseen.
    static func probe(ghc: String, ghcPkg: String) throws -> GlobalPackages {
        let database = try output(of: ghc, ["--print-global-package-db"])
        let stamp = stamp(of: database) ?? ""
        let units = try output(of: ghcPkg, ["--global", "--simple-output", "--show-unit-ids", "list"])
        return GlobalPackages(database: database, stamp: stamp, units: units.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    static func stamp(of database: String) -> String? {
        var info = stat()
        guard stat(database + "/package.cache", &info) == 0 else { return nil }
        return "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_size) \(info.st_ino)"
    }

    /// The record: the folder, the stamp, then one unit per line.
    var record: String { ([database, stamp] + units).joined(separator: "\n") + "\n" }

    init(database: String, stamp: String, units: [String]) {
        self.database = database
        self.stamp = stamp
        self.units = units
    }

    init?(record: String) {
        let lines = record.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3, lines.last == "", !lines[0].isEmpty else { return nil }
        self.init(database: lines[0], stamp: lines[1], units: Array(lines[2..<(lines.count - 1)]))
    }

    /// Written beside and renamed into place, so a reader sees a whole record or none;
    /// a cache it cannot write to only means the next start asks again.
    private func save(to path: String) {
        let partial = path + ".\(getpid())"
        guard (try? record.write(toFile: partial, atomically: false, encoding: .utf8)) != nil else { return }
        chmod(partial, 0o644)
        if rename(partial, path) != 0 { unlink(partial) }
    }

    private static func output(of executable: String, _ arguments: [String]) throws -> String {
        let run = try CommandRun.run(executable, arguments)
        guard run.succeeded else {
            throw RuntimeError(.runtimePackage, detail: "\(executable) \(arguments.joined(separator: " ")) \(run.status)")
        }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
