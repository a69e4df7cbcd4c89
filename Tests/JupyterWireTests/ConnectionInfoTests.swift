import JSONValue
import Foundation
import Testing
@testable import JupyterWire

private let tcpFile = """
{
  "shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796,
  "control_port": 53797, "hb_port": 53798,
  "ip": "127.0.0.1", "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84",
  "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "ghcbox"
}
"""

private func parse(_ text: String) throws(WireError) -> ConnectionInfo {
    try ConnectionInfo.parse(Array(text.utf8))
}

private func connectionError(_ text: String) -> WireError? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct ConnectionInfoTests {
    @Test func parsesATCPConnectionFile() throws {
        let info = try parse(tcpFile)
        #expect(info.transport == "tcp")
        #expect(info.ip == "127.0.0.1")
        #expect(info.shellPort == 53794)
        #expect(info.iopubPort == 53795)
        #expect(info.stdinPort == 53796)
        #expect(info.controlPort == 53797)
        #expect(info.hbPort == 53798)
        #expect(info.signatureScheme == "hmac-sha256")
        #expect(info.key == Array("a0436f6c-1916-498b-8eb9-e81ab9368e84".utf8))
        #expect(info.endpoint(port: info.shellPort) == "tcp://127.0.0.1:53794")
        #expect(info.hbEndpoint == "tcp://127.0.0.1:53798")
    }

    @Test func ipcEndpointsFollowJupyterClientsNaming() throws {
        let info = try parse("""
            {"transport": "ipc", "ip": "/tmp/kernel-1", "key": "", "signature_scheme": "hmac-sha256",
             "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}
            """)
        #expect(info.transport == "ipc")
        #expect(info.key.isEmpty)
        #expect(info.endpoint(port: 1) == "ipc:///tmp/kernel-1-1")
        #expect(info.controlEndpoint == "ipc:///tmp/kernel-1-4")
    }

    @Test func transportAndSchemeHaveDefaults() throws {
        let info = try parse("""
            {"ip": "127.0.0.1", "key": "k", "shell_port": 1, "iopub_port": 2, "stdin_port": 3,
             "control_port": 4, "hb_port": 5}
            """)
        #expect(info.transport == "tcp")
        #expect(info.signatureScheme == "hmac-sha256")
    }

    @Test(arguments: ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port", "ip", "key"])
    func aMissingFieldIsNamedInTheError(_ field: String) throws {
        var object = try #require(try JSON.parse(Array(tcpFile.utf8)).objectValue)
        object.removeValue(forKey: field)
        let error = connectionError(String(decoding: JSON.object(object).serialized(), as: UTF8.self))
        #expect(error?.code == .connectionFile)
        #expect(error?.detail.contains(field) == true)
    }

    @Test func unsupportedSignatureSchemeIsRejected() {
        let text = tcpFile.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5")
        let error = connectionError(text)
        #expect(error?.code == .connectionFile)
        #expect(error?.detail.contains("hmac-md5") == true)
    }

    @Test(arguments: [
        "not json", "[]",
        #"{"ip": 1, "key": "k", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#,
        #"{"ip": "h", "key": "k", "shell_port": "1", "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#,
        #"{"ip": "h", "key": "k", "shell_port": 70000, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#,
        #"{"transport": "udp", "ip": "h", "key": "k", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#,
    ])
    func malformedFilesAreConnectionFileErrors(_ text: String) {
        #expect(connectionError(text)?.code == .connectionFile)
    }

    @Test func loadsFromDisk() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ghcbox-connection-\(UUID().uuidString).json").path
        try Data(tcpFile.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ConnectionInfo.load(path: path) == (try parse(tcpFile)))
        #expect(throws: WireError.self) { try ConnectionInfo.load(path: path + ".missing") }
    }
}
