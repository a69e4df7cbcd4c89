import JSONValue
import Foundation

/// The contents of the connection file Jupyter hands a kernel with `-f`:
/// where to bind each channel and how to sign messages.
public struct ConnectionInfo: Sendable, Equatable {
    /// "tcp" or "ipc".
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    /// Always "hmac-sha256"; other schemes are rejected when the file is parsed.
    public var signatureScheme: String
    /// The HMAC key as the bytes of the file's `key` string; empty means messages are unsigned.
    public var key: [UInt8]

    public init(
        transport: String = "tcp", ip: String = "127.0.0.1",
        shellPort: Int, iopubPort: Int, stdinPort: Int, controlPort: Int, hbPort: Int,
        signatureScheme: String = "hmac-sha256", key: [UInt8]
    ) {
        self.transport = transport
        self.ip = ip
        self.shellPort = shellPort
        self.iopubPort = iopubPort
        self.stdinPort = stdinPort
        self.controlPort = controlPort
        self.hbPort = hbPort
        self.signatureScheme = signatureScheme
        self.key = key
    }

    public static func load(path: String) throws(WireError) -> ConnectionInfo {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WireError(.connectionFile, "cannot read \(path)")
        }
        return try parse(Array(data))
    }

    /// Parses the JSON of a connection file. `transport` defaults to "tcp" and
    /// `signature_scheme` to "hmac-sha256", as jupyter_client does; the rest are required.
    public static func parse(_ bytes: [UInt8]) throws(WireError) -> ConnectionInfo {
        let json: JSON
        do {
            json = try JSON.parse(bytes)
        } catch {
            throw WireError(.connectionFile, "not valid JSON (\(error.detail))")
        }
        guard json.objectValue != nil else {
            throw WireError(.connectionFile, "not a JSON object")
        }

        let transport = try optionalString("transport", in: json) ?? "tcp"
        guard transport == "tcp" || transport == "ipc" else {
            throw WireError(.connectionFile, "unsupported transport \"\(transport)\" (expected \"tcp\" or \"ipc\")")
        }
        let scheme = try optionalString("signature_scheme", in: json) ?? "hmac-sha256"
        guard scheme == "hmac-sha256" else {
            throw WireError(.connectionFile, "unsupported signature_scheme \"\(scheme)\" (only \"hmac-sha256\" is supported)")
        }
        guard let ip = try optionalString("ip", in: json) else {
            throw WireError(.connectionFile, "no \"ip\"")
        }
        guard let key = try optionalString("key", in: json) else {
            throw WireError(.connectionFile, "no \"key\"")
        }

        return ConnectionInfo(
            transport: transport, ip: ip,
            shellPort: try port("shell_port", in: json),
            iopubPort: try port("iopub_port", in: json),
            stdinPort: try port("stdin_port", in: json),
            controlPort: try port("control_port", in: json),
            hbPort: try port("hb_port", in: json),
            signatureScheme: scheme, key: Array(key.utf8)
        )
    }

    /// The ZeroMQ address for one channel: "tcp://IP:PORT", or for ipc jupyter_client's "ipc://IP-PORT".
    public func endpoint(port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "\(transport)://\(ip):\(port)"
    }

    public var shellEndpoint: String { endpoint(port: shellPort) }
    public var iopubEndpoint: String { endpoint(port: iopubPort) }
    public var stdinEndpoint: String { endpoint(port: stdinPort) }
    public var controlEndpoint: String { endpoint(port: controlPort) }
    public var hbEndpoint: String { endpoint(port: hbPort) }

    private static func optionalString(_ field: String, in json: JSON) throws(WireError) -> String? {
        guard let value = json[field] else { return nil }
        guard let text = value.stringValue else {
            throw WireError(.connectionFile, "\"\(field)\" must be a string, got \(value)")
        }
        return text
    }

    private static func port(_ field: String, in json: JSON) throws(WireError) -> Int {
        guard let value = json[field] else {
            throw WireError(.connectionFile, "no \"\(field)\"")
        }
        guard let number = value.intValue, (0...65535).contains(number) else {
            throw WireError(.connectionFile, "\"\(field)\" must be an integer from 0 to 65535, got \(value)")
        }
        return number
    }
}
