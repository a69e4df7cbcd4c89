import Foundation
import Sandbox

/// One GHC installation: `ghci`, and the `ghc` and `ghc-pkg` beside it, found in one place.
public struct GHCToolchain: Sendable, Equatable {
    public let ghci: String
    public let ghc: String
    public let ghcPkg: String

    /// The tools in the folder of `ghci` (Debian's `/usr/bin/ghci`, ghcup's `~/.ghcup/bin/ghci-9.4.8`
    /// keeps its suffix: `ghc-9.4.8`, `ghc-pkg-9.4.8`).
    public init(ghci: String) {
        let folder = (ghci as NSString).deletingLastPathComponent
        let name = (ghci as NSString).lastPathComponent
        let suffix = name.hasPrefix("ghci") ? String(name.dropFirst("ghci".count)) : ""
        self.ghci = ghci
        ghc = (folder.isEmpty ? "" : folder + "/") + "ghc" + suffix
        ghcPkg = (folder.isEmpty ? "" : folder + "/") + "ghc-pkg" + suffix
    }

    /// The GHC version: from the name Debian's `ghc` link points at (`ghc-9.0.2`), which costs
    /// nothing, else asked once from `ghc --numeric-version`; "unknown" when neither answers.
    public func version() -> String {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: ghc),
           let version = target.split(separator: "/").last?.split(separator: "-").last,
           version.first?.isNumber == true, version.contains(".") {
            return String(version)
        }
        let run = try? CommandRun.run(ghc, ["--numeric-version"], environment: ["PATH": "/usr/bin:/bin"])
        let version = run?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return version.isEmpty ? "unknown" : version
    }
}
