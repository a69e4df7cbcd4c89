import JSONValue
import Sandbox

/// A kernelspec whose kernel runs in the ghcbox image under Docker or podman, so a Jupyter
/// server on a shared host offers containerised sessions. The engine mounts the connection file
/// read-only and shares the host's network (the ports are Jupyter's choice, made after this
/// file is written; GHCi's jail still has a network namespace of its own). Budgets sit in the
/// kernelspec's `env`, which the engine forwards into the container by name.
public struct ContainerKernelspec: Sendable {
    public enum Engine: String, CaseIterable, Sendable { case docker, podman }

    public var image: String
    public var engine: Engine
    /// The seccomp profile on the host (the engine reads it, not the container).
    public var profilePath: String
    /// Who runs Jupyter, and so owns the connection files it writes (mode 0600).
    public var hostUID: UInt32
    public var hostGID: UInt32
    public var budget: ResourceBudget
    /// More arguments for `ghcbox kernel` inside the container.
    public var kernelArguments: [String]

    /// Where the connection file appears inside the container.
    static let connectionPath = "/run/ghcbox/connection.json"
    /// The image's own user, which a root-started kernel becomes once it has read the file.
    public static let imageUser = "1000:1000"

    public init(image: String, engine: Engine, profilePath: String, hostUID: UInt32, hostGID: UInt32,
                budget: ResourceBudget = .builtIn, kernelArguments: [String] = []) {
        self.image = image
        self.engine = engine
        self.profilePath = profilePath
        self.hostUID = hostUID
        self.hostGID = hostGID
        self.budget = budget
        self.kernelArguments = kernelArguments
    }

    public var argv: [String] {
        var run = [engine.rawValue, "run", "--rm", "--network=host", "--cap-drop=ALL",
                   "--security-opt=no-new-privileges", "--security-opt=seccomp=\(profilePath)",
                   engine == .podman ? "--security-opt=unmask=/proc/*" : "--security-opt=systempaths=unconfined"]
        var kernel = ["kernel", "--connection-file", Self.connectionPath]
        if hostUID == 0 {
            // A root-owned 0600 file is readable by root alone: the kernel starts as root with only
            // the capabilities to change ids, reads it, and becomes the image's user before serving.
            run += ["--user=0:0", "--cap-add=SETUID", "--cap-add=SETGID"]
            kernel += ["--switch-user", Self.imageUser]
        } else {
            run += ["--user=\(hostUID):\(hostGID)"]
            // Rootless podman maps container ids onto subordinate ones unless told to keep the user's.
            if engine == .podman { run.append("--userns=keep-id") }
        }
        run += ["--volume={connection_file}:\(Self.connectionPath):ro"]
        run += ResourceBudget.Knob.allCases.map { "--env=\($0.environmentVariable)" }
        return run + [image] + kernel + kernelArguments
    }

    public var json: JSON {
        .object([
            "argv": .array(argv.map(JSON.string)),
            "display_name": .string("Haskell (ghcbox in \(engine.rawValue))"),
            "language": .string("haskell"),
            "interrupt_mode": .string("message"),
            "env": .object(Dictionary(uniqueKeysWithValues: ResourceBudget.Knob.allCases.map {
                ($0.environmentVariable, JSON.string("\(budget[$0])"))
            })),
            "metadata": .object(["debugger": .bool(false), "ghcbox_image": .string(image)]),
        ])
    }
}
