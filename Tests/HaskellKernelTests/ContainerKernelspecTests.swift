import JSONValue
import Sandbox
import Testing
@testable import HaskellKernel

@Suite struct ContainerKernelspecTests {
    private func spec(_ engine: ContainerKernelspec.Engine, uid: UInt32, budget: ResourceBudget = .builtIn) -> ContainerKernelspec {
        ContainerKernelspec(image: "registry.example/ghcbox:1", engine: engine, profilePath: "/k/container-seccomp.json",
                            hostUID: uid, hostGID: uid, budget: budget, kernelArguments: ["--log-level", "info"])
    }

    @Test func theConnectionFileIsMountedReadOnlyUnderTheProfileWithoutCapabilities() {
        let argv = spec(.docker, uid: 1001).argv
        #expect(Array(argv.prefix(2)) == ["docker", "run"])
        #expect(argv.contains("--volume={connection_file}:/run/ghcbox/connection.json:ro"))
        #expect(argv.contains("--security-opt=seccomp=/k/container-seccomp.json"))
        #expect(argv.contains("--security-opt=systempaths=unconfined"))
        #expect(argv.contains("--cap-drop=ALL") && argv.contains("--security-opt=no-new-privileges"))
        #expect(!argv.contains { $0.contains("unconfined") && $0.contains("seccomp") })
        // The image, then `ghcbox kernel` with its arguments: nothing after the image is the engine's.
        let imageIndex = argv.firstIndex(of: "registry.example/ghcbox:1")!
        #expect(Array(argv[(imageIndex + 1)...]) == ["kernel", "--connection-file", "/run/ghcbox/connection.json", "--log-level", "info"])
    }

    @Test func aNonRootJupyterRunsTheKernelAsItselfAndPodmanKeepsItsId() {
        let docker = spec(.docker, uid: 1001).argv
        #expect(docker.contains("--user=1001:1001") && !docker.contains("--userns=keep-id"))
        let podman = spec(.podman, uid: 1001).argv
        #expect(podman.contains("--user=1001:1001") && podman.contains("--userns=keep-id"))
        #expect(podman.contains("--security-opt=unmask=/proc/*"))
        #expect(!podman.contains("--switch-user") && !podman.contains { $0.hasPrefix("--cap-add") })
    }

    @Test func aRootJupyterStartsTheKernelAsRootOnlyToReadTheFileThenSwitches() {
        let argv = spec(.podman, uid: 0).argv
        #expect(argv.contains("--user=0:0"))
        #expect(argv.filter { $0.hasPrefix("--cap-add") } == ["--cap-add=SETUID", "--cap-add=SETGID"])
        let switchIndex = argv.firstIndex(of: "--switch-user")!
        #expect(argv[switchIndex + 1] == ContainerKernelspec.imageUser)
    }

    @Test func everyBudgetIsInTheEnvAndForwardedIntoTheContainer() {
        var budget = ResourceBudget.builtIn
        budget.memoryMB = 768
        let kernelspec = spec(.docker, uid: 1001, budget: budget)
        let env = kernelspec.json["env"]!.objectValue!
        #expect(env.count == ResourceBudget.Knob.allCases.count)
        #expect(env["GHCBOX_MEMORY_MB"] == "768")
        for knob in ResourceBudget.Knob.allCases {
            #expect(kernelspec.argv.contains("--env=\(knob.environmentVariable)"))
        }
        #expect(kernelspec.json["interrupt_mode"] == "message")
        #expect(try! JSON.parse(kernelspec.json.serialized()) == kernelspec.json)
    }
}
