import JSONValue

/// What the processes that run cells use, outside the kernel's own process, for
/// `usage_request`. The kernel adds its own process and the host's figures.
public struct SessionUsage: Sendable, Equatable {
    /// CPU time the session has used, user and system, over its life; nil when the
    /// interpreter cannot measure it (the kernel then counts its child processes).
    public var cpuSeconds: Double?
    /// Memory charged to the session now; nil when not measured.
    public var memoryBytes: Int?
    /// The implementation's own figures (budgets, counters), sent under its name.
    public var details: [String: JSON]

    public init(cpuSeconds: Double? = nil, memoryBytes: Int? = nil, details: [String: JSON] = [:]) {
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.details = details
    }
}
