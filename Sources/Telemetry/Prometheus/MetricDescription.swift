/// What the swift-metrics API cannot say about a metric: its `# HELP` text and, for histograms,
/// the bucket upper bounds.
public struct MetricDescription: Sendable, Equatable {
    public let name: String
    public let help: String
    /// Upper bounds of a histogram's buckets in the unit it records (seconds for timers), ascending;
    /// `+Inf` is implied. Nil takes swift-prometheus's defaults.
    public let buckets: [Double]?

    public init(name: String, help: String, buckets: [Double]? = nil) {
        self.name = name
        self.help = help
        self.buckets = buckets
    }
}
