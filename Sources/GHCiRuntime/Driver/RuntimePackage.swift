import Foundation
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// The runtime's modules (`RuntimeSources`) compiled for one GHC: a package database that
/// GHCi loads with `-package-db DIR/db -package ghcbox-runtime`.
///
/// It is built once per GHC and module text into `cacheRoot/<GHC version>-<hash>`. The
/// database names its files relative to itself (`${pkgroot}`), so the folder works
/// wherever it is mounted; the jail shows it read-only at `jailPath`. A build goes to a
/// private folder that is renamed into place when complete, so kernels that start at the
/// same time never see half a package, and the one that loses the rename uses the winner's.
/// Only GHCs whose GHCi is dynamically linked (Debian's and ghcup's are) can load it.
public struct RuntimePackage: Sendable, Equatable {
    public static let name = "ghcbox-runtime"
    static let unitID = "ghcbox-runtime-1"
    /// Where the jail shows the package.
    public static let jailPath = "/opt/ghcbox/runtime"

    /// The package's folder on the host.
    public let directory: String

    /// GHCi's flags for the package, seen at `path` (the jail's view, or the host's).
    public func ghciArguments(seenAt path: String? = nil) -> [String] {
        ["-package-db", (path ?? directory) + "/db", "-package", Self.name]
    }

    /// The package for `toolchain`: one already built in `sharedRoots` (read only, such as a
    /// system-wide cache) or `cacheRoot`, else built into `cacheRoot` (about a second).
    public static func prepare(toolchain: GHCToolchain, ghcVersion: String, cacheRoot: String,
                               sharedRoots: [String] = []) throws -> RuntimePackage {
        let builder = Builder(ghc: toolchain.ghc, ghcPkg: toolchain.ghcPkg)
        let key = "\(ghcVersion)-\(fingerprint(RuntimeSources.fingerprintText + "\0" + ghcVersion + "\0" + builder.ghc))"
        for root in sharedRoots + [cacheRoot] where access(root + "/" + key + "/db/package.cache", R_OK) == 0 {
            return RuntimePackage(directory: root + "/" + key)
        }
        let directory = cacheRoot + "/" + key
        try FileManager.default.createDirectory(atPath: cacheRoot, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let staging = try makeStagingDirectory(in: cacheRoot)
        do {
            try builder.build(in: staging)
            // mkdtemp made it private; sessions of other users of a shared cache read it.
            chmod(staging, 0o755)
            if rename(staging, directory) != 0 {
                let err = errno
                try? FileManager.default.removeItem(atPath: staging)
                // ENOTEMPTY or EEXIST: another kernel finished first.
                guard access(directory + "/db/package.cache", R_OK) == 0 else {
                    throw RuntimeError(.runtimePackage, detail: "cannot move the package to \(directory): \(String(cString: strerror(err)))")
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return RuntimePackage(directory: directory)
    }

    private static func makeStagingDirectory(in root: String) throws -> String {
        var template = Array((root + "/.build-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw RuntimeError(.runtimePackage, detail: "cannot create a folder in \(root): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// FNV-1a, 64 bits: a cache key, not a secret.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return String(hash, radix: 16).leftPadded(to: 16)
    }

    /// Compiles the modules into a shared library and registers it in a fresh database.
    struct Builder {
        let ghc: String
        let ghcPkg: String

        func build(in folder: String) throws {
            let sources = folder + "/src"
            var files: [String] = []
            for module in RuntimeSources.modules {
                let file = sources + "/" + RuntimeSources.path(of: module.name)
                try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try module.source.write(toFile: file, atomically: false, encoding: .utf8)
                files.append(file)
            }
            try FileManager.default.createDirectory(atPath: folder + "/lib", withIntermediateDirectories: false)
            let version = try output(of: ghc, ["--numeric-version"])
            try output(of: ghc, [
                "-v0", "-O", "-dynamic", "-shared", "-fPIC", "-hisuf", "dyn_hi", "-osuf", "dyn_o",
                "-this-unit-id", unitID, "-i" + sources,
            ] + RuntimeSources.depends.flatMap { ["-package", $0] } + [
                "-outputdir", folder + "/lib", "-o", folder + "/lib/libHS\(unitID)-ghc\(version).so",
            ] + files)
            let depends = try RuntimeSources.depends.map { try output(of: ghcPkg, ["--global", "--simple-output", "field", $0, "id"]) }
            let description = folder + "/\(name).conf"
            try """
                name: \(name)
                version: 1
                id: \(unitID)
                key: \(unitID)
                exposed: True
                exposed-modules: \(RuntimeSources.modules.map(\.name).joined(separator: " "))
                import-dirs: ${pkgroot}/lib
                library-dirs: ${pkgroot}/lib
                dynamic-library-dirs: ${pkgroot}/lib
                hs-libraries: HS\(unitID)
                depends: \(depends.joined(separator: " "))

                """.write(toFile: description, atomically: false, encoding: .utf8)
            try output(of: ghcPkg, ["init", folder + "/db"])
            try output(of: ghcPkg, ["--package-db", folder + "/db", "register", description])
        }

        /// The command's stdout, trimmed; its stderr in the error if it fails.
        @discardableResult
        private func output(of executable: String, _ arguments: [String]) throws -> String {
            let run: CommandRun
            do {
                run = try CommandRun.run(executable, arguments)
            } catch {
                throw RuntimeError(.runtimePackage, detail: "\(executable): \(error)")
            }
            guard run.succeeded else {
                let command = ([executable] + arguments).joined(separator: " ")
                throw RuntimeError(.runtimePackage, detail: "\(command) \(run.status): "
                                   + run.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
