import Foundation
import Testing
@testable import Sandbox

@Suite struct ContainerRuntimeTests {
    @Test func theEngineIsToldByItsMarkerFile() throws {
        let root = TempTree(), docker = TempTree(), pod = TempTree()
        defer { [root, docker, pod].forEach { $0.destroy() } }
        #expect(ContainerRuntime.detect(root: root.root, environment: [:]) == nil)
        root.write("run/.containerenv", "")
        #expect(ContainerRuntime.detect(root: root.root, environment: [:])?.engine == .podman)
        docker.write(".dockerenv", "")
        #expect(ContainerRuntime.detect(root: docker.root, environment: [:])?.engine == .docker)
        #expect(ContainerRuntime.detect(root: pod.root, environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1"])?.engine == .kubernetes)
        // A pod whose runtime also writes /run/.containerenv is still Kubernetes's.
        #expect(ContainerRuntime.detect(root: root.root, environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1"])?.engine == .kubernetes)
    }

    @Test func appArmorConfinementAddsItsOption() throws {
        let root = TempTree()
        defer { root.destroy() }
        root.write(".dockerenv", "")
        // An SELinux context in the shared file is not an AppArmor profile.
        root.write("proc/self/attr/current", "system_u:system_r:container_t:s0\n")
        #expect(ContainerRuntime.detect(root: root.root, environment: [:])?.appArmorConfined == false)
        root.write("sys/module/apparmor/parameters/enabled", "Y\n")
        root.write("proc/self/attr/current", "docker-default (enforce)\n")
        let confined = try #require(ContainerRuntime.detect(root: root.root, environment: [:]))
        #expect(confined.appArmorConfined)
        #expect(confined.securityOptions.contains("apparmor=unconfined"))
        root.write("proc/self/attr/apparmor/current", "unconfined\n")
        #expect(ContainerRuntime.detect(root: root.root, environment: [:])?.appArmorConfined == false)
    }

    @Test func theAdviceIsARunLineThatKeepsTheKernelsArguments() {
        let docker = ContainerRuntime(engine: .docker, appArmorConfined: false)
        let advice = docker.advice(image: "ghcbox:1", profilePath: "/usr/local/share/ghcbox/sandbox/container-seccomp.json",
                                   arguments: ["kernel", "--connection-file", "/conn/kernel 1.json"])
        #expect(advice.contains("`docker run --rm --entrypoint cat ghcbox:1 /usr/local/share/ghcbox/sandbox/container-seccomp.json > ghcbox-seccomp.json`"))
        #expect(advice.contains("`docker run --security-opt seccomp=ghcbox-seccomp.json --security-opt systempaths=unconfined ghcbox:1 kernel --connection-file '/conn/kernel 1.json'`"))
        let podman = ContainerRuntime(engine: .podman, appArmorConfined: true)
        let line = podman.advice(image: "i", profilePath: "/p.json", arguments: ["kernel"])
        #expect(line.contains("`podman run --security-opt seccomp=ghcbox-seccomp.json --security-opt 'unmask=/proc/*' --security-opt apparmor=unconfined i kernel`"))
    }

    @Test func aKernelThatAServerStartedIsToldToRestartItsContainer() {
        let advice = ContainerRuntime(engine: .docker, appArmorConfined: false)
            .advice(image: "ghcbox-hub", profilePath: "/p.json", arguments: ["kernel", "-f", "/x.json"], isContainerCommand: false)
        #expect(advice.contains("then start this container with these options (keep your own): `--security-opt seccomp=ghcbox-seccomp.json --security-opt systempaths=unconfined`"))
        #expect(!advice.contains("/x.json"))
        #expect(ContainerRuntime.isContainerCommand(pid: 1, parentPID: 0))
        #expect(ContainerRuntime.isContainerCommand(pid: 7, parentPID: 1))
        #expect(!ContainerRuntime.isContainerCommand(pid: 40, parentPID: 7))
    }

    @Test func kubernetesIsPointedAtThePodTemplate() {
        let advice = ContainerRuntime(engine: .kubernetes, appArmorConfined: false).advice(image: "i", profilePath: "/p.json", arguments: [])
        #expect(advice.contains("procMount: Unmasked") && advice.contains("kernel-pod.yaml.j2"))
    }
}
