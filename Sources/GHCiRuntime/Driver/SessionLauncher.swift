import Sandbox

/// How a session's GHCi is started: plainly, or inside the jail. The runtime
/// only needs a `ChildProcess` whose descriptor 3 is the command pipe.
public protocol SessionLauncher: Sendable {
    /// Shown in the banner and in each reply's metadata.
    var isolation: String { get }
    func launch(executable: String, arguments: [String], environment: [String: String]) throws -> ChildProcess
    /// Runs after every cell (the jail wipes its scratch space).
    func cleanUp(after child: ChildProcess) throws
}

extension SessionLauncher {
    public func cleanUp(after child: ChildProcess) throws {}
}

/// Starts GHCi as an ordinary child process (development only: `--no-sandbox`).
public struct PlainLauncher: SessionLauncher {
    public init() {}
    public var isolation: String { "none (--no-sandbox)" }
    public func launch(executable: String, arguments: [String], environment: [String: String]) throws -> ChildProcess {
        try PlainSpawner.spawn(executable: executable, arguments: arguments, environment: environment)
    }
}
