/// The Prometheus type of a metric family, as printed on its `# TYPE` line.
public enum MetricKind: String, Sendable {
    case counter
    case gauge
    case histogram
}
