import Foundation
import Testing
@testable import GHCiRuntime
@Test func dumpBoot() throws {
    try BootScript(tag: SessionTag(nonce: "0123456789abcdef0123456789abcdef")).initialInput.write(toFile: "/tmp/boot.txt", atomically: true, encoding: .utf8)
}
