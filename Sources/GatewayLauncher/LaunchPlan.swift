import Foundation
import JupyterWire
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's side of a launch before it serves: five ZeroMQ ports on all interfaces, an HMAC
/// key, and the comm socket, listening already so EG can reach it as soon as it has the report.
public struct LaunchPlan: Sendable {
    /// Where the kernel binds: 0.0.0.0, since EG and its clients connect from other hosts.
    public let connection: ConnectionInfo
    public let commSocket: TCPSocket
    public let commPort: Int

    /// Picks the ports in `range`; the key is a random UUID's text, as EG's own launcher makes it.
    public static func make(range: PortRange, key: String = UUID().uuidString.lowercased()) throws(LauncherError) -> LaunchPlan {
        var picker = PortPicker(range: range)
        let commSocket = try picker.bind(backlog: 16)
        let ports = try picker.ports(5)
        let connection = ConnectionInfo(
            transport: "tcp", ip: "0.0.0.0", shellPort: ports[0], iopubPort: ports[1], stdinPort: ports[2],
            controlPort: ports[4], hbPort: ports[3], signatureScheme: "hmac-sha256", key: Array(key.utf8))
        return LaunchPlan(connection: connection, commSocket: commSocket, commPort: try commSocket.localPort())
    }

    /// The report for EG about this process.
    public func report(kernelID: String, kernelName: String) -> ConnectionReport {
        ConnectionReport(connection: connection, kernelName: kernelName, kernelID: kernelID, pid: getpid(), pgid: getpgid(0), commPort: commPort)
    }

    /// Seals the report with EG's public key (read from `parameters` beforehand, so a bad key
    /// stops the launch before the kernel starts) and sends it to the response address; EG reads
    /// until the connection closes.
    public func announce(_ parameters: LaunchParameters, publicKey: RSAPublicKey, kernelName: String) throws(LauncherError) {
        let sealed = try SealedReport.seal(report(kernelID: parameters.kernelID, kernelName: kernelName).json, publicKey: publicKey)
        let socket = try TCPSocket.connected(to: parameters.responseAddress.host, port: parameters.responseAddress.port)
        try socket.send(sealed)
    }
}
