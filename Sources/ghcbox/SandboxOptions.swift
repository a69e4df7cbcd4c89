import ArgumentParser
import Sandbox
import SystemPackage

/// How sessions are jailed: `--no-sandbox` and the seccomp policy.
struct SandboxOptions: ParsableArguments {
    @Flag(name: .customLong("no-sandbox"), help: "Run GHCi without the jail (development only; the banner and every reply say so).")
    var noSandbox = false

    @OptionGroup var policy: PolicyOption
}

/// `--seccomp-policy`, which `doctor` checks too.
struct PolicyOption: ParsableArguments {
    @Option(name: .customLong("seccomp-policy"), help: "The seccomp policy file (default: sandbox/seccomp.policy of this installation).")
    var seccompPolicy: String?

    /// A policy file given here that cannot be read, parsed or compiled is a configuration
    /// problem; the installation's own file is the host's business (`ghcbox doctor`).
    func check(problems: inout [String]) {
        guard let path = seccompPolicy else { return }
        let source = SettingSource.flag("--seccomp-policy")
        do {
            try SeccompPolicy.load(path: path).validate()
        } catch where error.errno != 0 && error.detail == path {
            problems.append("\(source): cannot read \(path): \(Errno(rawValue: error.errno))")
        } catch {
            problems.append("\(source): \(path) is not a usable policy: \(error.detail)")
        }
    }
}
