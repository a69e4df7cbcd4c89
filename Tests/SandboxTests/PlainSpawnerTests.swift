import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox
import SystemLayer
import SystemPackage

@Test func plainSpawnerRunsAChildAndReportsItsExit() throws {
    let child = try PlainSpawner.spawn(executable: "/bin/sh", arguments: ["-c", "echo hi; exit 3"], environment: [:])
    let out = try child.stdoutFD.readAvailable()
    #expect(String(decoding: out, as: UTF8.self) == "hi\n")
    #expect(child.wait() == .exited(3))
    child.closeDescriptors()
}

@Test func plainSpawnersChildLeadsASessionOfItsOwn() throws {
    let child = try PlainSpawner.spawn(executable: "/bin/sleep", arguments: ["30"], environment: [:])
    defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
    #expect(getsid(child.pid) == child.pid)
    #expect(getpgid(child.pid) != getpgrp())
}
