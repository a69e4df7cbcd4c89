import Sandbox

/// How a session's GHCi is started: plainly, or inside the jail. The runtime
/// needs a `ChildProcess` whose descriptor 3 is the command pipe, and, where
/// the session has a cgroup, its counters.
public protocol SessionLauncher: Sendable {
    /// Shown in the banner and in each reply's metadata.
    var isolation: String { get }
    func launch(executable: String, arguments: [String], environment: [String: String]) throws -> LaunchedGHCi
    /// Runs after every cell (the jail wipes its scratch space).
    func cleanUp(after child: ChildProcess) throws
    /// Why a launch failed, in words for the notebook author, when the launcher can tell.
    func explain(launchFailure: Error) -> String?
}

extension SessionLauncher {
    public func cleanUp(after child: ChildProcess) throws {}
    public func explain(launchFailure: Error) -> String? { nil }
}

/// A started GHCi and what belongs to it.
public struct LaunchedGHCi: Sendable {
    public let child: ChildProcess
    public let counters: SessionCounters?
    /// Frees what the launch made (the cgroup); called once the child has been reaped.
    public let release: @Sendable () -> Void

    public init(child: ChildProcess, counters: SessionCounters? = nil, release: @escaping @Sendable () -> Void = {}) {
        self.child = child
        self.counters = counters
        self.release = release
    }
}

/// Starts GHCi as an ordinary child process (development only: `--no-sandbox`).
public struct PlainLauncher: SessionLauncher {
    public init() {}
    public var isolation: String { "none (--no-sandbox)" }
    public func launch(executable: String, arguments: [String], environment: [String: String]) throws -> LaunchedGHCi {
        LaunchedGHCi(child: try PlainSpawner.spawn(executable: executable, arguments: arguments, environment: environment))
    }
}
