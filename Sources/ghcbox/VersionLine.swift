import GHCiRuntime
import HaskellKernel
#if canImport(Glibc)
import Glibc
#endif

/// `ghcbox --version`: ghcbox's version and the GHC a kernel would use by default.
enum VersionLine {
    static func text(ghci: String = ToolchainOptions.defaultGHCi) -> String {
        let ghcbox = "ghcbox \(GhcboxVersion.current)"
        guard access(ghci, X_OK) == 0 else { return "\(ghcbox) (no GHC found: \(ghci) is missing; use --ghci PATH)" }
        return "\(ghcbox) (GHC \(GHCToolchain(ghci: ghci).version()) at \(ghci))"
    }
}
