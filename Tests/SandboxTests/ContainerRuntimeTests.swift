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
    }

    @Test func appArmorConfinementAddsItsOption() throws {
        let root = TempTree()
        defer { root.destroy() }
        root.write(".dockerenv", "")
        root.write("proc/self/attr/current", "docker-default (enforce)\n")
        let confined = try #require(ContainerRuntime.detect(root: root.root, environment: [:]))
        #expect(confined.appArmorConfined)
        #expect(confined.options.map(\.option).contains("--security-opt apparmor=unconfined"))
        root.write("proc/self/attr/current", "unconfined\n")
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
        #expect(line.contains("`podman run --security-opt seccomp=ghcbox-seccomp.json --security-opt unmask=/proc/* --security-opt apparmor=unconfined i kernel`"))
    }

    @Test func kubernetesIsPointedAtThePodTemplate() {
        let advice = ContainerRuntime(engine: .kubernetes, appArmorConfined: false).advice(image: "i", profilePath: "/p.json", arguments: [])
        #expect(advice.contains("procMount: Unmasked") && advice.contains("kernel-pod.yaml.j2"))
    }
}
