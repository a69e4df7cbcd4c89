import Testing
@testable import Sandbox

@Test func plainSpawnerRunsAChildAndReportsItsExit() throws {
    let child = try PlainSpawner.spawn(executable: "/bin/sh", arguments: ["-c", "echo hi; exit 3"], environment: [:])
    let out = try Descriptor.read(child.stdoutFD)
    #expect(String(decoding: out, as: UTF8.self) == "hi\n")
    #expect(child.wait() == .exited(3))
    child.closeDescriptors()
}
