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

    /// Podman writes /run/.containerenv, Docker /.dockerenv; a Kubernetes pod has the service variables.
    public static func detect(root: String = "", environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ContainerRuntime? {
        let engine: Engine
        if FileManager.default.fileExists(atPath: root + "/run/.containerenv") {
            engine = .podman
        } else if FileManager.default.fileExists(atPath: root + "/.dockerenv") {
            engine = .docker
        } else if environment["KUBERNETES_SERVICE_HOST"] != nil {
            engine = .kubernetes
        } else {
            return nil
        }
        return ContainerRuntime(engine: engine, appArmorConfined: appArmorProfile(root: root).map { $0 != "unconfined" } ?? false)
    }

    /// The profile name in `/proc/self/attr/current`, e.g. "docker-default (enforce)"; nil without AppArmor.
    static func appArmorProfile(root: String) -> String? {
        guard let text = try? String(contentsOfFile: root + "/proc/self/attr/current", encoding: .utf8) else { return nil }
        let profile = text.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
        return profile.isEmpty ? nil : profile.components(separatedBy: " ").first
    }

    /// The options that let the jail build, with the reason for each.
    public var options: [(option: String, why: String)] {
        let seccomp = ("--security-opt seccomp=ghcbox-seccomp.json",
                       "the engine's default profile plus clone into namespaces, mount, umount2, pivot_root and sethostname")
        let proc = engine == .podman
            ? ("--security-opt unmask=/proc/*", "Linux refuses a fresh /proc in a user namespace while parts of the container's are masked")
            : ("--security-opt systempaths=unconfined", "Linux refuses a fresh /proc in a user namespace while parts of the container's are masked")
        var options = [seccomp, proc]
        if appArmorConfined { options.append(("--security-opt apparmor=unconfined", "the default AppArmor profile denies every mount")) }
        return options
    }

    /// What to tell an operator whose container cannot build the jail: the command lines that
    /// fix it. `profilePath` is the shipped seccomp profile inside the image; `arguments` are the
    /// kernel's own (the container's command).
    public func advice(image: String, profilePath: String, arguments: [String]) -> String {
        if engine == .kubernetes {
            return "In Kubernetes, the kernel pod needs the security context of ghcbox's kernel-pod.yaml.j2: "
                + "a Localhost seccomp profile from \(profilePath), procMount: Unmasked and hostUsers: false."
        }
        let command = engine.rawValue
        let run = ([command, "run"] + options.map(\.option) + [image] + arguments.map(Self.quoted)).joined(separator: " ")
        return "Save the container seccomp profile with `\(command) run --rm --entrypoint cat \(image) \(profilePath) > ghcbox-seccomp.json`, "
            + "then start the kernel with these options (keep your own -v, -p and -e options): `\(run)`."
    }

    static func quoted(_ argument: String) -> String {
        let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@+".contains($0) }
        return plain && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
