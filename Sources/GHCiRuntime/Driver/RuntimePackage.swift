import Foundation
import Sandbox
import Synchronization
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
///
/// The same database holds a package for each display library installed in the GHC's
/// global database (`DisplayLibrary`), exposed but loaded only when a cell imports it. The
/// hash covers which of them are installed, and their unit ids, so installing or removing
/// one makes a new folder. One whose instances fail to compile is left out, with GHC's
/// reason (`skippedDisplays`); the runtime package goes on without it.
public struct RuntimePackage: Sendable, Equatable {
    public static let name = "ghcbox-runtime"
    static let unitID = "ghcbox-runtime-1"
    /// Where the jail shows the package.
    public static let jailPath = "/opt/ghcbox/runtime"
    /// The folder's list of the display packages it holds, one name a line.
    static let displaysFile = "displays.txt"
    /// Why a display package is missing: `name: GHC's message`, one a paragraph.
    static let skippedFile = "displays-skipped.txt"

    /// The package's folder on the host.
    public let directory: String
    /// The display libraries whose instance packages the folder holds.
    public let displays: [DisplayLibrary]
    /// Installed display libraries whose instance packages did not build, with the reason.
    public let skippedDisplays: [String]

    /// The package in `directory`, with the display packages its lists name.
    init(directory: String) {
        self.directory = directory
        let built = (try? String(contentsOfFile: directory + "/" + Self.displaysFile, encoding: .utf8)) ?? ""
        displays = built.split(separator: "\n").compactMap { DisplayLibrary.named(String($0)) }
        let skipped = (try? String(contentsOfFile: directory + "/" + Self.skippedFile, encoding: .utf8)) ?? ""
        skippedDisplays = skipped.components(separatedBy: "\n\n").filter { !$0.isEmpty }
    }

    /// GHCi's flags for the package, seen at `path` (the jail's view, or the host's).
    public func ghciArguments(seenAt path: String? = nil) -> [String] {
        ["-package-db", (path ?? directory) + "/db", "-package", Self.name]
    }

    /// The package for `toolchain`: one already built in `sharedRoots` (read only, such as a
    /// system-wide cache) or `cacheRoot`, else built into `cacheRoot` (about a second, and a
    /// few more for each display library). `displays`: the libraries to look for.
    public static func prepare(toolchain: GHCToolchain, ghcVersion: String, cacheRoot: String,
                               sharedRoots: [String] = [], displays: [DisplayLibrary] = DisplayLibrary.all) throws -> RuntimePackage {
        let builder = Builder(ghc: toolchain.ghc, ghcPkg: toolchain.ghcPkg)
        let installed = installedDisplays(displays, builder: builder, ghcVersion: ghcVersion, roots: sharedRoots + [cacheRoot])
        let displayText = installed.map { "\0" + $0.library.name + "\0" + $0.library.source + "\0" + $0.units.joined(separator: " ") }
        let key = "\(ghcVersion)-\(fingerprint(RuntimeSources.fingerprintText + "\0" + ghcVersion + "\0" + builder.ghc + displayText.joined()))"
        for root in sharedRoots + [cacheRoot] where access(root + "/" + key + "/db/package.cache", R_OK) == 0 {
            return RuntimePackage(directory: root + "/" + key)
        }
        let directory = cacheRoot + "/" + key
        try FileManager.default.createDirectory(atPath: cacheRoot, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let staging = try makeStagingDirectory(in: cacheRoot)
        do {
            try builder.build(in: staging, displays: installed)
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

    /// The libraries among `candidates` whose packages are all in the global database, each
    /// with those packages' unit ids. None when the database cannot be listed.
    static func installedDisplays(_ candidates: [DisplayLibrary], builder: Builder, ghcVersion: String,
                                  roots: [String]) -> [(library: DisplayLibrary, units: [String])] {
        guard !candidates.isEmpty,
              let global = GlobalPackages.current(ghc: builder.ghc, ghcPkg: builder.ghcPkg, roots: roots,
                                                  recordName: "\(ghcVersion)-\(fingerprint(builder.ghc)).packages")
        else { return [] }
        return candidates.compactMap { library in
            let units = library.packages.compactMap(global.unit(of:))
            return units.count == library.packages.count ? (library, units) : nil
        }
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

    /// Compiles the modules into a shared library and registers it in a fresh database,
    /// then the display packages beside it.
    struct Builder {
        let ghc: String
        let ghcPkg: String

        func build(in folder: String, displays: [(library: DisplayLibrary, units: [String])] = []) throws {
            let sources = folder + "/src"
            var files: [String] = []
            for module in RuntimeSources.modules {
                let file = sources + "/" + RuntimeSources.path(of: module.name)
                try write(module.source, to: file)
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
            try output(of: ghcPkg, ["init", folder + "/db"])
            try register(in: folder, name: name, id: unitID, modules: RuntimeSources.modules.map(\.name), files: "lib", depends: depends)
            try buildDisplays(displays, in: folder, ghcVersion: version)
        }

        /// Compiles the display packages side by side (each is a second or more of GHC's
        /// time, mostly reading the library's interfaces), then registers those that built.
        private func buildDisplays(_ displays: [(library: DisplayLibrary, units: [String])], in folder: String, ghcVersion: String) throws {
            let failures = Mutex<[String: String]>([:])
            DispatchQueue.concurrentPerform(iterations: displays.count) { index in
                do {
                    try compile(displays[index].library, in: folder, ghcVersion: ghcVersion)
                } catch {
                    failures.withLock { $0[displays[index].library.name] = "\(error)" }
                }
            }
            var built: [String] = []
            var skipped = failures.withLock { $0 }
            for (library, units) in displays where skipped[library.name] == nil {
                do {
                    try register(in: folder, name: library.packageName, id: library.unitID, modules: [library.module],
                                 files: "displays/" + library.name, depends: [unitID] + units)
                    built.append(library.name)
                } catch {
                    skipped[library.name] = "\(error)"
                }
            }
            try write(built.map { $0 + "\n" }.joined(), to: folder + "/" + displaysFile)
            if !skipped.isEmpty {
                try write(skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\n\n" }.joined(), to: folder + "/" + skippedFile)
            }
        }

        /// One display package's shared library, from its module alone: no search path, so
        /// the runtime's modules come from the runtime package and nothing from the working folder.
        private func compile(_ library: DisplayLibrary, in folder: String, ghcVersion: String) throws {
            let output = folder + "/displays/" + library.name
            let file = folder + "/displaysrc/" + library.name + "/" + RuntimeSources.path(of: library.module)
            try write(library.source, to: file)
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            try self.output(of: ghc, [
                "-v0", "-O0", "-dynamic", "-shared", "-fPIC", "-hisuf", "dyn_hi", "-osuf", "dyn_o",
                "-this-unit-id", library.unitID, "-i", "-hide-all-packages", "-package-db", folder + "/db", "-package-id", unitID,
            ] + library.packages.flatMap { ["-package", $0] } + [
                "-outputdir", output, "-o", output + "/libHS\(library.unitID)-ghc\(ghcVersion).so", file,
            ])
        }

        /// Registers a package whose interfaces and shared library are in `files` under the folder.
        private func register(in folder: String, name: String, id: String, modules: [String], files: String, depends: [String]) throws {
            let description = folder + "/\(name).conf"
            try """
                name: \(name)
                version: 1
                id: \(id)
                key: \(id)
                exposed: True
                exposed-modules: \(modules.joined(separator: " "))
                import-dirs: ${pkgroot}/\(files)
                library-dirs: ${pkgroot}/\(files)
                dynamic-library-dirs: ${pkgroot}/\(files)
                hs-libraries: HS\(id)
                depends: \(depends.joined(separator: " "))

                """.write(toFile: description, atomically: false, encoding: .utf8)
            try output(of: ghcPkg, ["--package-db", folder + "/db", "register", description])
        }

        private func write(_ text: String, to file: String) throws {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: false, encoding: .utf8)
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
