/// How sessions are started.
public struct RuntimeConfiguration: Sendable {
    /// GHCi's path as the launcher sees it.
    public var ghci: String
    /// `-fno-ghci-sandbox` runs each statement in GHCi's main thread instead of a thread of
    /// its own. With the sandbox thread, a SIGINT that lands while GHCi sets up a statement
    /// can leave GHCi hung until a second SIGINT: in a stress test (SIGINT 0 to 4 ms after a
    /// one-line chunk was sent) 11 and 457 of 2000 chunks hung, against 0 of 2000 without
    /// it. The cost: GHCi's breakpoint debugger (`:break`, `:step`) needs the sandbox thread.
    /// `+RTS -T` keeps GC statistics, from which the probe after a breach reads the heap's
    /// live bytes (`HealthProbe`).
    public var arguments: [String]
    public var environment: [String: String]
    /// How long an interrupted chunk may take to stop before the session is replaced: long
    /// enough for a GHCi on a loaded host (0.4 s replaced a responsive session now and then at
    /// a load of 8 on 2 cores), short enough that the reply still comes within a second.
    public var interruptGrace: Duration
    /// The same for a chunk stopped by the guard (a breach need not answer within a second,
    /// and a big heap may take longer to unwind).
    public var breachGrace: Duration = .seconds(2)
    /// How long GHCi may take to boot.
    public var startTimeout: Duration
    /// Per-cell limits the guard enforces.
    public var budget: CellBudget
    /// The largest display or comm message the runtime sends, in bytes (the cell's output budget).
    public var messageLimit = 64 << 20
    /// The display libraries whose instance packages GHCi can load (`RuntimePackage.displays`).
    public var displays: [DisplayLibrary] = []

    public init(
        ghci: String = "/usr/bin/ghci",
        arguments: [String] = ["-v0", "-ignore-dot-ghci", "-fno-ghci-sandbox", "+RTS", "-T", "-RTS"],
        environment: [String: String] = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "TERM": "dumb"],
        interruptGrace: Duration = .milliseconds(750),
        startTimeout: Duration = .seconds(60),
        budget: CellBudget = CellBudget()
    ) {
        self.budget = budget
        self.ghci = ghci
        self.arguments = arguments
        self.environment = environment
        self.interruptGrace = interruptGrace
        self.startTimeout = startTimeout
    }
}
