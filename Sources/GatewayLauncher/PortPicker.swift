/// Picks the kernel's ports in the range as EG's launchers do: bind a socket to a random port
/// of the range (the system's choice for `0..0`) and try another when it is taken. Sockets
/// picked together stay bound until all are picked, so no two picks share a port.
public struct PortPicker<Source: RandomNumberGenerator> {
    /// Tries per port before giving up on a crowded range.
    public static var attempts: Int { 32 }

    public let range: PortRange
    private var source: Source

    public init(range: PortRange, source: Source) {
        self.range = range
        self.source = source
    }

    /// A socket bound to a free port of the range, listening when `backlog` is set.
    public mutating func bind(backlog: Int32? = nil) throws(LauncherError) -> TCPSocket {
        var lastFailure: LauncherError?
        for _ in 0..<Self.attempts {
            do {
                return try TCPSocket.bound(port: range.candidate(using: &source), backlog: backlog)
            } catch {
                lastFailure = error
                if range.isAny { break }
            }
        }
        throw LauncherError(.noPort, "no free port in \(range) after \(Self.attempts) tries", errno: lastFailure?.errno)
    }

    /// `count` distinct free ports, released for whoever binds them next.
    public mutating func ports(_ count: Int) throws(LauncherError) -> [Int] {
        var held: [TCPSocket] = []
        var ports: [Int] = []
        for _ in 0..<count {
            let socket = try bind()
            ports.append(try socket.localPort())
            held.append(socket)
        }
        return ports
    }
}

extension PortPicker where Source == SystemRandomNumberGenerator {
    public init(range: PortRange) {
        self.init(range: range, source: SystemRandomNumberGenerator())
    }
}
