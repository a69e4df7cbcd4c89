import ArgumentParser
import Foundation
import GHCiRuntime
import Logging
import Sandbox

/// Options shared by `kernel` and `run`: how sessions are made.
struct SessionOptions: ParsableArguments {
    @Flag(name: .customLong("no-sandbox"), help: "Run GHCi without the jail (development only; every reply says so).")
    var noSandbox = false

    @Option(help: "The ghci executable.")
    var ghci = "/usr/bin/ghci"

    /// Builds the interpreter: GHCi in the jail, or refusing to run cells when the jail cannot be built.
    func makeInterpreter(logger: Logger) -> GHCiInterpreter {
        let launcher: SessionLauncher = PlainLauncher()
        let configuration = RuntimeConfiguration(ghci: ghci)
        let session = RuntimeSession(configuration: configuration, launcher: launcher, logger: logger)
        return GHCiInterpreter(session: session, ghcVersion: GHCVersion.detect(ghci: ghci), blockedReason: nil)
    }
}

/// The GHC version, asked once from `ghc --numeric-version` beside the ghci in use.
enum GHCVersion {
    static func detect(ghci: String) -> String {
        let ghc = (ghci as NSString).deletingLastPathComponent + "/ghc"
        guard let child = try? PlainSpawner.spawn(executable: ghc, arguments: ["--numeric-version"], environment: ["PATH": "/usr/bin:/bin"]) else {
            return "unknown"
        }
        defer { child.closeDescriptors() }
        var output: [UInt8] = []
        while let bytes = try? Descriptor.read(child.stdoutFD), !bytes.isEmpty { output += bytes }
        child.wait()
        let version = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return version.isEmpty ? "unknown" : version
    }
}
