import JupyterWire

/// A session's sockets and key from `GHCBOX_*` variables instead of a connection file, so a
/// container started with `docker run -p` needs no file mounted: the client's connection file
/// carries the same ports and key.
enum EnvironmentConnection {
    static let portVariables = [
        ("GHCBOX_SHELL_PORT", "shell"), ("GHCBOX_IOPUB_PORT", "iopub"), ("GHCBOX_STDIN_PORT", "stdin"),
        ("GHCBOX_CONTROL_PORT", "control"), ("GHCBOX_HB_PORT", "hb"),
    ]
    static let keyVariable = "GHCBOX_KEY"
    static let ipVariable = "GHCBOX_IP"

    /// The usage line of a failure: what a kernel without `--connection-file` needs.
    static let needed = "`ghcbox kernel` needs --connection-file FILE, or the variables "
        + portVariables.map(\.0).joined(separator: ", ") + " and \(keyVariable) (\(ipVariable) defaults to 0.0.0.0)"

    /// Whether any port or key variable is set: then the variables, not a file, name the sockets.
    static func isGiven(_ environment: [String: String]) -> Bool {
        (portVariables.map(\.0) + [keyVariable]).contains { environment[$0] != nil }
    }

    /// nil when no port or key variable is set at all (the caller then asks for a file).
    static func read(_ environment: [String: String]) throws(CommandFailure) -> ConnectionInfo? {
        guard isGiven(environment) else { return nil }
        var ports: [String: Int] = [:]
        var problems: [String] = []
        for (name, channel) in portVariables {
            guard let text = environment[name] else { problems.append("\(name) is not set"); continue }
            guard let port = Int(text), (1...65535).contains(port) else {
                problems.append("\(name)=\(text): expected a port from 1 to 65535"); continue
            }
            ports[channel] = port
        }
        let key = environment[keyVariable] ?? ""
        // An unsigned session on a published port would run anyone's code.
        if key.isEmpty { problems.append("\(keyVariable) is not set or empty: the kernel signs every message with it") }
        if Set(ports.values).count < ports.count { problems.append("the five ports must differ") }
        guard problems.isEmpty else { throw CommandFailure(lines: problems + [needed]) }
        return ConnectionInfo(ip: environment[ipVariable] ?? "0.0.0.0",
                              shellPort: ports["shell"]!, iopubPort: ports["iopub"]!, stdinPort: ports["stdin"]!,
                              controlPort: ports["control"]!, hbPort: ports["hb"]!, key: Array(key.utf8))
    }
}
