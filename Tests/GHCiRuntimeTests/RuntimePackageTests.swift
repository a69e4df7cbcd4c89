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
        let first = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root)
        let library = try #require(contents(of: first.directory + "/lib").first { $0.hasSuffix(".so") })
        let builtAt = try FileManager.default.attributesOfItem(atPath: first.directory + "/lib/" + library)[.modificationDate] as? Date
        let second = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root)
        #expect(second == first)
        #expect(try FileManager.default.attributesOfItem(atPath: second.directory + "/lib/" + library)[.modificationDate] as? Date == builtAt)
        // Another GHC version is another package.
        let other = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.y", cacheRoot: root)
        #expect(other.directory != first.directory)
        #expect(contents(of: root).count == 2)
    }

    @Test func kernelsBuildingAtOnceAgreeOnOneFolderAndLeaveNoStaging() throws {
        let ghci = try #require(ghciPath, "ghci is not installed: run ci/setup")
        let root = freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            results.add(Result { try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root) })
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
        let built = try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "9.x", cacheRoot: root)
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
            try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: root + "/bin/ghci"), ghcVersion: "9.x", cacheRoot: root)
        }
        #expect(error.code == .runtimePackage)
        #expect(error.detail.contains(root + "/bin/ghc"))
        #expect(contents(of: root).isEmpty, "a failed build leaves its staging folder behind")
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
