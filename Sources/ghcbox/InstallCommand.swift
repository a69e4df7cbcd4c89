import ArgumentParser
import Foundation
import GHCiRuntime
import HaskellKernel
import JSONValue

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the Jupyter kernelspec 'ghcbox' that runs this binary.",
        discussion: "Writes DIR/share/jupyter/kernels/ghcbox/kernel.json (and logos). Default: --user.")

    @Flag(help: "Install for this user (~/.local/share/jupyter, or $JUPYTER_DATA_DIR).")
    var user = false

    @Flag(name: .customLong("sys-prefix"), help: "Install into the active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX).")
    var sysPrefix = false

    @Option(help: "Install under DIR/share/jupyter/kernels.")
    var prefix: String?

    @Option(name: .customLong("kernel-arg"), help: "An extra argument for `ghcbox kernel` (repeatable), e.g. --kernel-arg=--memory-mb=2048.")
    var kernelArgs: [String] = []

    @Option(help: "Folder holding kernel.json and the logos (default: found beside the binary or in the source tree).")
    var template: String?

    func run() throws {
        let target = try kernelsDirectory() + "/ghcbox"
        let source = try ResourceLocator.find("kernelspec", containing: "kernel.json", explicit: template)
        let binary = try ResourceLocator.executablePath()
        let json: JSON
        do { json = try Kernelspec.render(templateIn: source, binary: binary, extraArguments: kernelArgs) } catch {
            throw ValidationError("\(error)")
        }
        let files = FileManager.default
        try files.createDirectory(atPath: target, withIntermediateDirectories: true)
        try Data(json.serialized()).write(to: URL(fileURLWithPath: target + "/kernel.json"), options: .atomic)
        for logo in ["logo-32x32.png", "logo-64x64.png"] where files.fileExists(atPath: source + "/" + logo) {
            try? files.removeItem(atPath: target + "/" + logo)
            try files.copyItem(atPath: source + "/" + logo, toPath: target + "/" + logo)
        }
        print("Installed kernelspec ghcbox in \(target)")
        prepareRuntimePackage()
        print("Try it: jupyter console --kernel ghcbox   (or pick \"Haskell (ghcbox)\" in JupyterLab)")
    }

    /// Builds the runtime package now, so the first kernel start need not (a failure is only a warning:
    /// the kernel tries again, and says what is wrong, when it starts).
    private func prepareRuntimePackage() {
        // The kernel's own options, read from --kernel-arg as `ghcbox kernel` will read them.
        guard let toolchain = (try? KernelArguments.parse(kernelArgs))?.session.toolchain else {
            FileHandle.standardError.write(Data("warning: the runtime package was not built: the --kernel-arg values are not options of `ghcbox kernel`\n".utf8))
            return
        }
        do {
            let package = try RuntimePackageCache.prepare(toolchain, ghcVersion: toolchain.version())
            print("Runtime package for \(toolchain.ghci): \(package.directory)")
        } catch {
            FileHandle.standardError.write(Data("warning: the runtime package was not built: \(error)\n".utf8))
        }
    }

    private func kernelsDirectory() throws -> String {
        let env = ProcessInfo.processInfo.environment
        if [user, sysPrefix, prefix != nil].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --user, --sys-prefix and --prefix")
        }
        if let prefix { return prefix + "/share/jupyter/kernels" }
        if sysPrefix {
            guard let root = env["VIRTUAL_ENV"] ?? env["CONDA_PREFIX"] else {
                throw ValidationError("--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX); use --prefix DIR instead")
            }
            return root + "/share/jupyter/kernels"
        }
        if let data = env["JUPYTER_DATA_DIR"] { return data + "/kernels" }
        let home = env["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/jupyter/kernels"
    }
}

/// What `ghcbox kernel` accepts besides its connection file.
private struct KernelArguments: ParsableArguments {
    @OptionGroup var session: SessionOptions
    @OptionGroup var telemetry: TelemetryOptions
}
