import Foundation
import Sandbox
import Testing
@testable import GHCiRuntime

@Suite(.serialized) struct RuntimePackageTests {
    private func freshRoot() -> String {
        let root = NSTemporaryDirectory() + "ghcbox-package-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    private func contents(of root: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: root))?.sorted() ?? []
    }

    @Test func aBuiltPackageIsReusedNotRebuilt() throws {
        let ghci = try #require(ghciPath, "ghci is not installed: run ci/setup")
        let root = freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root, displays: [])
        let library = try #require(contents(of: first.directory + "/lib").first { $0.hasSuffix(".so") })
        let builtAt = try FileManager.default.attributesOfItem(atPath: first.directory + "/lib/" + library)[.modificationDate] as? Date
        let second = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root, displays: [])
        #expect(second == first)
        #expect(try FileManager.default.attributesOfItem(atPath: second.directory + "/lib/" + library)[.modificationDate] as? Date == builtAt)
        // Another GHC version is another package.
        let other = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.y", cacheRoot: root, displays: [])
        #expect(other.directory != first.directory)
        #expect(contents(of: root).count == 2)
    }

    @Test func kernelsBuildingAtOnceAgreeOnOneFolderAndLeaveNoStaging() throws {
        let ghci = try #require(ghciPath, "ghci is not installed: run ci/setup")
        let root = freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            results.add(Result { try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root, displays: []) })
        }
        let directories = try results.all.map { try $0.get().directory }
        #expect(directories.count == 3)
        #expect(Set(directories).count == 1)
        #expect(contents(of: root) == [(directories[0] as NSString).lastPathComponent])
    }

    /// The jail mounts the folder elsewhere: GHCi finds the package wherever it is.
    @Test func thePackageWorksMovedToAnotherFolder() throws {
        let ghci = try #require(ghciPath, "ghci is not installed: run ci/setup")
        let root = freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let built = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root, displays: [])
        let moved = root + "/moved"
        try FileManager.default.moveItem(atPath: built.directory, toPath: moved)
        let process = try GHCiProcess.start(launcher: PlainLauncher(), executable: ghci,
                                            arguments: RuntimeConfiguration().arguments + built.ghciArguments(seenAt: moved),
                                            environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"])
        defer { process.terminate() }
        let log = OutputLog()
        #expect(!process.run("1 + 2", io: log.io()).failed)
        #expect(log.results == ["3"])
    }

    @Test func aGHCWithoutItsToolsSaysWhichCommandFailed() throws {
        let root = freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let error = try #require(throws: RuntimeError.self) {
            try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: root + "/bin/ghci"), ghcVersion: "9.x", cacheRoot: root, displays: [])
        }
        #expect(error.code == .runtimePackage)
        #expect(error.detail.contains(root + "/bin/ghc"))
        #expect(contents(of: root).isEmpty, "a failed build leaves its staging folder behind")
    }

    /// A display library installed here gets its package in the same database; its
    /// instance module is loaded only when imported, and then changes how values show.
    @Test func anInstalledDisplayLibraryIsBuiltBesideTheRuntime() throws {
        let ghci = try #require(ghciPath, "ghci is not installed: run ci/setup")
        let blaze = try #require(DisplayLibrary.named("blaze"))
        let root = freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let toolchain = GHCToolchain(ghci: ghci)
        let global = try GlobalPackages.probe(ghc: toolchain.ghc, ghcPkg: toolchain.ghcPkg)
        try #require(global.unit(of: "blaze-html") != nil, "blaze-html is not installed: run ci/setup with the display libraries")
        let built = try RuntimePackage.prepare(toolchain: toolchain, ghcVersion: "9.x", cacheRoot: root, displays: [blaze])
        #expect(built.displays == [blaze])
        #expect(built.skippedDisplays.isEmpty)
        // The probe is recorded beside the package, and the next start reads it instead of asking again.
        #expect(contents(of: root).contains { $0.hasSuffix(".packages") })
        #expect(try RuntimePackage.prepare(toolchain: toolchain, ghcVersion: "9.x", cacheRoot: root, displays: [blaze]) == built)
        // Without the library the folder is another one.
        let plain = try RuntimePackage.prepare(toolchain: toolchain, ghcVersion: "9.x", cacheRoot: root, displays: [])
        #expect(plain.directory != built.directory)
        #expect(plain.displays.isEmpty)

        var configuration = RuntimeConfiguration(ghci: ghci)
        configuration.arguments += built.ghciArguments()
        let process = try GHCiProcess.start(launcher: PlainLauncher(), executable: ghci, arguments: configuration.arguments,
                                            environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"])
        defer { process.terminate() }
        let log = OutputLog()
        #expect(!process.run(":set -XOverloadedStrings", io: log.io()).failed)
        #expect(!process.run("import qualified Text.Blaze.Html5 as H", io: log.io()).failed)
        // blaze's markup has no Show instance: until the instance module is imported, it cannot be printed.
        #expect(process.run("H.b \"x\"", io: log.io()).failed)
        #expect(!process.run(blaze.importLine, io: log.io()).failed)
        #expect(!process.run("H.b \"y\"", io: log.io()).failed)
        let html = log.all.compactMap { if case .executeResult(let data, _) = $0 { data["text/html"]?.stringValue } else { nil } }
        #expect(html == ["<b>y</b>"])
    }

    @Test func aDisplayLibraryThatDoesNotCompileIsLeftOutWithItsReason() throws {
        let ghci = try #require(ghciPath, "ghci is not installed: run ci/setup")
        let root = freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let broken = DisplayLibrary(name: "broken", packages: ["base"], modulePrefixes: ["Broken"],
                                    module: "GHCbox.Display.Broken", source: "module GHCbox.Display.Broken () where\nx = \n")
        let built = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root, displays: [broken])
        #expect(built.displays.isEmpty)
        #expect(built.skippedDisplays.count == 1)
        #expect(built.skippedDisplays.first?.hasPrefix("broken: ") == true)
        #expect(built.skippedDisplays.first?.contains("Broken.hs") == true)
        let process = try GHCiProcess.start(launcher: PlainLauncher(), executable: ghci,
                                            arguments: RuntimeConfiguration().arguments + built.ghciArguments(),
                                            environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"])
        defer { process.terminate() }
        let log = OutputLog()
        #expect(!process.run("1 + 2", io: log.io()).failed)
        #expect(log.results == ["3"])
    }

    @Test func aPackageIsFoundByNameNotByAnotherWithTheSamePrefix() {
        let global = GlobalPackages(database: "/db", stamp: "1", units: [
            "Chart-1.9.4-1PuOJkJ0IijH4ypSRXAHOI", "Chart-cairo-1.9.3-3XdeBd2y8JaGsOWwoa0sjk", "base-4.15.1.0",
            "text-1.2.5.0", "text-2.0.2", "text-short-0.1.5-Ab1",
        ])
        #expect(global.unit(of: "Chart") == "Chart-1.9.4-1PuOJkJ0IijH4ypSRXAHOI")
        #expect(global.unit(of: "Chart-cairo") == "Chart-cairo-1.9.3-3XdeBd2y8JaGsOWwoa0sjk")
        #expect(global.unit(of: "text") == "text-2.0.2")
        #expect(global.unit(of: "aeson") == nil)
        #expect(GlobalPackages(record: global.record) == global)
        #expect(GlobalPackages(record: "/db\n1\nbase-4") == nil, "a record cut short is not one")
    }

    @Test func theCacheKeyFollowsTheModuleTextAndTheGHC() {
        #expect(RuntimePackage.fingerprint("a") != RuntimePackage.fingerprint("b"))
        #expect(RuntimePackage.fingerprint("a") == RuntimePackage.fingerprint("a"))
        #expect(RuntimePackage.fingerprint("").count == 16)
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<RuntimePackage, Error>] = []
    var all: [Result<RuntimePackage, Error>] { lock.withLock { items } }
    func add(_ item: Result<RuntimePackage, Error>) { lock.withLock { items.append(item) } }
}
