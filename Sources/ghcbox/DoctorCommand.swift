import ArgumentParser
import GHCiRuntime
import HaskellKernel
import Sandbox

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check that this host can run ghcbox's sandbox, and say how to fix what it cannot.")

    @OptionGroup(title: "GHC") var toolchain: ToolchainOptions
    @OptionGroup(title: "Sandbox") var policy: PolicyOption

    func run() throws {
        let settings = SessionSettings(toolchain: toolchain.toolchain, seccompPolicy: policy.seccompPolicy)
        let rows = HostCheck(ghcExecutable: settings.toolchain.ghc, policyPath: try? settings.policyPath()).rows()
            + [runtimePackage(settings.toolchain)]
        let width = max(5, rows.map(\.check.count).max() ?? 5)
        say("\("check".padding(toLength: width, withPad: " ", startingAt: 0))  state  detail")
        for row in rows {
            let state = row.ok ? "ok   " : (row.blocking ? "FAIL " : "warn ")
            say("\(row.check.padding(toLength: width, withPad: " ", startingAt: 0))  \(state)  \(row.detail)")
            if !row.ok && !row.fix.isEmpty {
                say("\(String(repeating: " ", count: width))         fix: \(row.fix)")
            }
        }
        if let problem = HostCheck().firstBlockingProblem(in: rows) {
            say("\nThe sandbox cannot run here: \(problem)\nghcbox will refuse to run cells (or use --no-sandbox for development).")
            let profile = (try? ResourceLocator.find("sandbox", containing: "container-seccomp.json")).map { $0 + "/container-seccomp.json" }
            if let advice = ContainerRuntime.adviceHere(profilePath: profile ?? "/usr/local/share/ghcbox/sandbox/container-seccomp.json",
                                                        arguments: ["kernel"]) {
                say(advice)
            }
            throw ExitCode(1)
        }
        say("\nThe sandbox can run on this host.")
    }

    /// The compiled runtime module every session loads: found in the cache, or built now.
    private func runtimePackage(_ toolchain: GHCToolchain) -> HostCheck.Row {
        let check = "runtime package"
        do {
            let package = try RuntimePackageCache.prepare(toolchain, ghcVersion: toolchain.version(), jailed: true)
            let displays = package.displays.isEmpty ? "" : " (rich displays for \(package.displays.map(\.name).joined(separator: ", ")))"
            return HostCheck.Row(check: check, ok: true, detail: package.directory + displays, fix: "", blocking: true)
        } catch {
            return HostCheck.Row(check: check, ok: false, detail: "\(error)", fix: RuntimePackageCache.fix(toolchain),
                                 blocking: true)
        }
    }
}
