import Foundation
import Testing
@testable import GHCiRuntime

@Suite struct GHCToolchainTests {
    @Test func theToolsSitBesideGHCiWithItsVersionSuffix() {
        let debian = GHCToolchain(ghci: "/usr/bin/ghci")
        #expect(debian.ghc == "/usr/bin/ghc" && debian.ghcPkg == "/usr/bin/ghc-pkg")
        let ghcup = GHCToolchain(ghci: "/home/u/.ghcup/bin/ghci-9.4.8")
        #expect(ghcup.ghc == "/home/u/.ghcup/bin/ghc-9.4.8" && ghcup.ghcPkg == "/home/u/.ghcup/bin/ghc-pkg-9.4.8")
        // A folder named like the tool is not rewritten.
        let odd = GHCToolchain(ghci: "/opt/ghci/bin/ghci")
        #expect(odd.ghc == "/opt/ghci/bin/ghc")
    }

    @Test func theVersionOfTheInstalledGHCIsNumeric() throws {
        let ghci = try #require(["/usr/bin/ghci"].first { FileManager.default.isExecutableFile(atPath: $0) }, "run ci/setup")
        let version = GHCToolchain(ghci: ghci).version()
        #expect(version.split(separator: ".").count >= 2 && version.first?.isNumber == true, "\(version)")
        #expect(GHCToolchain(ghci: "/nonexistent/ghci").version() == "unknown")
    }
}
