import ArgumentParser
import GHCiRuntime

/// Which GHC sessions use: `--ghci`.
struct ToolchainOptions: ParsableArguments {
    static let defaultGHCi = "/usr/bin/ghci"

    @Option(help: "The ghci executable; ghc and ghc-pkg are taken from its folder.")
    var ghci = defaultGHCi

    var toolchain: GHCToolchain { GHCToolchain(ghci: ghci) }
}
