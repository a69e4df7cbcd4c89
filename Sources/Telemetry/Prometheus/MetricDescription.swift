/// What the registry prints about a metric besides its samples: the `# HELP` text and,
/// for histograms, the bucket upper bounds.
public struct MetricDescription: Sendable, Equatable {
    public let name: String
    public let help: String
    /// Upper bounds of a histogram's buckets (`+Inf` is added); nil uses the registry's default.
    public let buckets: [Double]?

    public init(name: String, help: String, buckets: [Double]? = nil) {
        self.name = name
        self.help = help
        self.buckets = buckets
    }
}
