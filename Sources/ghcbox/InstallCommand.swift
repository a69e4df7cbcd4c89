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

    @Option(help: "Install the kernelspec ghcbox-ENGINE instead, whose kernel runs in this ghcbox image (budgets in its env).")
    var image: String?

    @Option(help: "The container engine for --image: docker or podman.")
    var engine: ContainerKernelspec.Engine = .docker

    func validate() throws {
        if [user, sysPrefix, prefix != nil].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --user, --sys-prefix and --prefix")
        }
    }

    func run() throws {
        let kernel = try checkedKernelArguments()
        let name = image == nil ? "ghcbox" : "ghcbox-\(engine.rawValue)"
        let target = try kernelsDirectory() + "/" + name
        let source: String
        do { source = try ResourceLocator.find("kernelspec", containing: "kernel.json", explicit: template) } catch {
            throw CommandFailure("\(error)")
        }
        let json: JSON
        if let image {
            json = try containerSpec(image: image, in: target).json
        } else {
            do {
                json = try Kernelspec.render(templateIn: source, binary: try ResourceLocator.executablePath(), extraArguments: kernelArgs)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        try FileAccess.makeDirectory(target)
        try FileAccess.write(json.serialized(), to: target + "/kernel.json")
        for logo in ["logo-32x32.png", "logo-64x64.png"] where FileManager.default.fileExists(atPath: source + "/" + logo) {
            try FileAccess.copy(source + "/" + logo, to: target + "/" + logo)
        }
        print("Installed kernelspec \(name) in \(target)")
        if image == nil { prepareRuntimePackage(kernel.serving.toolchain.toolchain) }
        let display = json["display_name"]?.stringValue ?? name
        print("Try it: pick \"\(display)\" in JupyterLab, or run `jupyter console --kernel \(name)` where Jupyter is installed")
    }

    /// The engine reads the seccomp profile on the host, so a copy goes into the kernelspec's folder.
    private func containerSpec(image: String, in target: String) throws -> ContainerKernelspec {
        let profile: String
        do { profile = try ResourceLocator.find("sandbox", containing: "container-seccomp.json") + "/container-seccomp.json" } catch {
            throw CommandFailure("\(error)")
        }
        try FileAccess.makeDirectory(target)
        try FileAccess.copy(profile, to: target + "/container-seccomp.json")
        return ContainerKernelspec(image: image, engine: engine, profilePath: target + "/container-seccomp.json",
                                   hostUID: getuid(), hostGID: getgid(), kernelArguments: kernelArgs)
    }

    /// The --kernel-arg values read as `ghcbox kernel` will read them; a kernelspec whose kernel
    /// would refuse every cell is not installed. The environment is the kernel's, not this shell's.
    private func checkedKernelArguments() throws -> KernelCommand {
        let kernel: KernelCommand
        do { kernel = try KernelCommand.parse(kernelArgs + ["--check-config"]) } catch {
            throw CommandFailure("--kernel-arg: \(KernelCommand.message(for: error))")
        }
        let problems = KernelConfiguration(kernel.serving, environment: [:]).problems
        guard problems.isEmpty else { throw CommandFailure(lines: problems.map { "--kernel-arg: " + $0 }) }
        return kernel
    }

    /// Builds the runtime package now, so the first kernel start need not (a failure is only a warning:
    /// the kernel tries again, and says what is wrong, when it starts).
    private func prepareRuntimePackage(_ toolchain: GHCToolchain) {
        do {
            let package = try RuntimePackageCache.prepare(toolchain, ghcVersion: toolchain.version())
            print("Runtime package for \(toolchain.ghci): \(package.directory)")
            if !package.displays.isEmpty { print("Rich displays for: \(package.displays.map(\.name).joined(separator: ", "))") }
            for reason in package.skippedDisplays { complain("warning: a display library's instances did not build: \(reason)") }
        } catch {
            complain("warning: the runtime package was not built: \(error)")
        }
    }

    private func kernelsDirectory() throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let prefix { return prefix + "/share/jupyter/kernels" }
        if sysPrefix {
            guard let root = env["VIRTUAL_ENV"] ?? env["CONDA_PREFIX"] else {
                throw CommandFailure("--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX); use --prefix DIR instead")
            }
            return root + "/share/jupyter/kernels"
        }
        if let data = env["JUPYTER_DATA_DIR"] { return data + "/kernels" }
        let home = env["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/jupyter/kernels"
    }
}
extension ContainerKernelspec.Engine: ExpressibleByArgument {}
