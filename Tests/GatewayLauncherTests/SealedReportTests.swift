import Foundation
import JSONValue
import JupyterWire
import Testing
@testable import GatewayLauncher

@Suite struct SealedReportTests {
    let report = ConnectionReport(
        connection: ConnectionInfo(transport: "tcp", ip: "0.0.0.0", shellPort: 9001, iopubPort: 9002, stdinPort: 9003, controlPort: 9005,
                                   hbPort: 9004, key: Array("5b0c4d7e-28d1-4d2b-9a5c-4b7d8e0f1a2b".utf8)),
        kernelName: "ghcbox", kernelID: "3f5e7c1a-0000-4000-8000-000000000001", pid: 4242, pgid: 4200, commPort: 9006)

    @Test func theReportHasEveryFieldEGAndJupyterClientRead() {
        #expect(report.json == .object([
            "shell_port": 9001, "iopub_port": 9002, "stdin_port": 9003, "control_port": 9005, "hb_port": 9004,
            "ip": "0.0.0.0", "key": "5b0c4d7e-28d1-4d2b-9a5c-4b7d8e0f1a2b", "transport": "tcp", "signature_scheme": "hmac-sha256",
            "kernel_name": "ghcbox", "pid": 4242, "pgid": 4200, "comm_port": 9006, "kernel_id": "3f5e7c1a-0000-4000-8000-000000000001",
        ]))
    }

    @Test func theHolderOfThePrivateKeyOpensTheReport() throws {
        let pair = TestKeyPair()
        let sealed = try SealedReport.seal(report.json, publicKey: try RSAPublicKey(der: pair.publicDER))
        // Outer layer: base64 of the JSON envelope.
        let envelope = try JSON.parse(try #require(Data(base64Encoded: Data(sealed))))
        #expect(envelope["version"] == .int(1))
        let sealedKey = try #require(envelope["key"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        #expect(sealedKey.count == 128)
        let aesKey = try #require(pair.decryptPKCS1v15(Array(sealedKey)))
        #expect(aesKey.count == 16)
        let connectionInfo = try #require(envelope["conn_info"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        #expect(connectionInfo.count % 16 == 0)
        let plaintext = try #require(decryptAES128ECB(Array(connectionInfo), key: aesKey))
        #expect(try JSON.parse(plaintext) == report.json)
    }

    @Test func eachReportHasAKeyOfItsOwn() throws {
        let key = try RSAPublicKey(der: TestKeyPair().publicDER)
        #expect(try SealedReport.seal(report.json, publicKey: key) != SealedReport.seal(report.json, publicKey: key))
        #expect(SealedReport.randomAESKey() != SealedReport.randomAESKey())
    }

    @Test func aesECBMatchesTheStandardsVector() throws {
        // FIPS-197 appendix C.1; a whole block of padding follows a whole block of input.
        let key = Array(0..<16).map(UInt8.init)
        let plaintext: [UInt8] = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]
        let ciphertext = try AESECB.encrypt(plaintext, key: key)
        #expect(ciphertext.count == 32)
        #expect(Array(ciphertext.prefix(16)) == [0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30, 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a])
        #expect(decryptAES128ECB(ciphertext, key: key) == plaintext)
        #expect(throws: LauncherError.self) { try AESECB.encrypt(plaintext, key: Array(key.prefix(10))) }
    }

    @Test func refusesAKeyThatIsNotRSA() {
        #expect(throws: LauncherError.self) { try RSAPublicKey(der: Array("not DER".utf8)) }
        #expect(throws: LauncherError.self) { try RSAPublicKey(der: []) }
    }
}
