/// Where Enterprise Gateway waits for the kernel's connection report: `host:port`.
public struct ResponseAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` as EG's own launcher does: exactly one colon, so an IPv6 literal is refused.
    public init(parsing text: String) throws(LauncherError) {
        let parts = text.trimmingWhitespace.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw LauncherError(.badInput, "response address '\(text)' is not of the form host:port")
        }
        guard let port = Int(parts[1]), (1...65535).contains(port) else {
            throw LauncherError(.badInput, "response address '\(text)' has no port from 1 to 65535")
        }
        self.init(host: String(parts[0]), port: port)
    }

    public var description: String { "\(host):\(port)" }
}
