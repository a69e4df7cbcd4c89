import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

@Suite(.serialized) struct JailSmokeTests {
    @Test func idInsideIsTheSandboxUser() throws {
        let r = try runInJail("/usr/bin/id -u; /usr/bin/id -g; id -un; hostname; pwd; echo $HOME; ls /")
        print(r)
        #expect(r.status == .exited(0))
        #expect(r.out.hasPrefix("1000\n1000\nghcbox\nghcbox\n/scratch\n/scratch\n"))
    }
}
