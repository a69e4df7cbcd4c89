import JSONValue
import JupyterWire

/// What the launcher tells EG about the kernel: the fields of jupyter_client's connection file,
/// plus the process ids EG may signal, the comm port it sends requests to and the kernel's id,
/// which EG uses to match the report to the kernel it is starting.
public struct ConnectionReport: Sendable, Equatable {
    public var connection: ConnectionInfo
    public var kernelName: String
    public var kernelID: String
    public var pid: Int32
    public var pgid: Int32
    public var commPort: Int

    public init(connection: ConnectionInfo, kernelName: String, kernelID: String, pid: Int32, pgid: Int32, commPort: Int) {
        self.connection = connection
        self.kernelName = kernelName
        self.kernelID = kernelID
        self.pid = pid
        self.pgid = pgid
        self.commPort = commPort
    }

    /// The report as JSON; the key is its text, as jupyter_client writes it.
    public var json: JSON {
        .object([
            "shell_port": .int(connection.shellPort),
            "iopub_port": .int(connection.iopubPort),
            "stdin_port": .int(connection.stdinPort),
            "control_port": .int(connection.controlPort),
            "hb_port": .int(connection.hbPort),
            "ip": .string(connection.ip),
            "key": .string(String(decoding: connection.key, as: UTF8.self)),
            "transport": .string(connection.transport),
            "signature_scheme": .string(connection.signatureScheme),
            "kernel_name": .string(kernelName),
            "pid": .int(Int(pid)),
            "pgid": .int(Int(pgid)),
            "comm_port": .int(commPort),
            "kernel_id": .string(kernelID),
        ])
    }
}
