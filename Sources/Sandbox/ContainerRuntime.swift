import Foundation

/// The container engine a kernel runs under, if any, and the `run` options that let the jail
/// build inside it. A default container forbids the jail twice over: its seccomp profile allows
/// namespaces, `mount` and `pivot_root` only to CAP_SYS_ADMIN, and its masked `/proc` paths make
/// Linux refuse a fresh procfs mount in a user namespace. The jail masks the same paths in the
/// `/proc` it mounts for GHCi, so lifting the container's masks hides nothing from a cell.
public struct ContainerRuntime: Sendable, Equatable {
    public enum Engine: String, Sendable { case docker, podman, kubernetes }

    public var engine: Engine
    /// Under an AppArmor profile (Docker's `docker-default` denies every mount).
    public var appArmorConfined: Bool

    public init(engine: Engine, appArmorConfined: Bool) {
        self.engine = engine
        self.appArmorConfined = appArmorConfined
    }

    /// A Kubernetes pod has the API's service variables (its runtime may write /run/.containerenv too);
    /// podman writes /run/.containerenv, Docker /.dockerenv.
    public static func detect(root: String = "", environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ContainerRuntime? {
        let engine: Engine
        if environment["KUBERNETES_SERVICE_HOST"] != nil {
            engine = .kubernetes
        } else if FileManager.default.fileExists(atPath: root + "/run/.containerenv") {
            engine = .podman
        } else if FileManager.default.fileExists(atPath: root + "/.dockerenv") {
            engine = .docker
        } else {
            return nil
        }
        return ContainerRuntime(engine: engine, appArmorConfined: appArmorProfile(root: root).map { $0 != "unconfined" } ?? false)
    }

    /// The AppArmor profile confining this process, e.g. "docker-default"; nil without AppArmor.
    /// `/proc/self/attr/current` belongs to whichever security module is active (an SELinux
    /// context on SELinux hosts), so it counts only where AppArmor is loaded.
    static func appArmorProfile(root: String) -> String? {
        let own = root + "/proc/self/attr/apparmor/current"
        let shared = root + "/proc/self/attr/current"
        let path = FileManager.default.fileExists(atPath: own) ? own
            : FileManager.default.fileExists(atPath: root + "/sys/module/apparmor") ? shared : nil
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let profile = text.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
        return profile.isEmpty ? nil : profile.components(separatedBy: " ").first
    }

    /// The `--security-opt` values that let the jail build: the shipped profile (the engine's
    /// default plus clone into namespaces, mount, umount2, pivot_root and sethostname), an
    /// unmasked /proc, and where AppArmor confines the container, no AppArmor profile (Docker's
    /// default denies every mount).
    public var securityOptions: [String] {
        var options = ["seccomp=ghcbox-seccomp.json", engine == .podman ? "unmask=/proc/*" : "systempaths=unconfined"]
        if appArmorConfined { options.append("apparmor=unconfined") }
        return options
    }

    /// What to tell an operator whose container cannot build the jail: the command lines that
    /// fix it. `profilePath` is the shipped seccomp profile inside the image; `arguments` are the
    /// kernel's own; `isContainerCommand` says whether the kernel is what the container runs
    /// (else a server in it, such as JupyterLab, started the kernel).
    public func advice(image: String, profilePath: String, arguments: [String], isContainerCommand: Bool = true) -> String {
        let options = securityOptions.map { "--security-opt " + Self.quoted($0) }.joined(separator: " ")
        if engine == .kubernetes {
            return "In Kubernetes, the pod needs a Localhost seccomp profile made from \(profilePath), procMount: Unmasked "
                + "with hostUsers: false, and no AppArmor profile that denies mount (ghcbox's kernel-pod.yaml.j2 and "
                + "jupyterhub_config.py have them)."
        }
        let command = engine.rawValue
        let save = "Save the container seccomp profile with `\(command) run --rm --entrypoint cat \(image) \(profilePath) > ghcbox-seccomp.json`, "
        guard isContainerCommand else {
            return save + "then start this container with these options (keep your own): `\(options)`."
        }
        let run = ([command, "run", options, image] + arguments.map(Self.quoted)).joined(separator: " ")
        return save + "then start the kernel with these options (keep your own -v, -p and -e options): `\(run)`."
    }

    /// The advice for this process, if it runs in a container: the image's name comes from the
    /// image itself (`GHCBOX_IMAGE`, set when it is built), `profilePath` is the shipped profile.
    public static func adviceHere(profilePath: String, arguments: [String]) -> String? {
        guard let container = detect() else { return nil }
        return container.advice(image: ProcessInfo.processInfo.environment["GHCBOX_IMAGE"] ?? "IMAGE", profilePath: profilePath,
                                arguments: arguments, isContainerCommand: isContainerCommand(pid: getpid(), parentPID: getppid()))
    }

    /// Whether this process is the container's own command: pid 1, or the only child of an init
    /// such as tini or `--init`'s.
    public static func isContainerCommand(pid: Int32, parentPID: Int32) -> Bool { pid == 1 || parentPID == 1 }

    static func quoted(_ argument: String) -> String {
        let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@+".contains($0) }
        return plain && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
