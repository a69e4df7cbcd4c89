import JSONValue
import Logging

/// A swift-log handler writing one JSON object per line:
/// `{"ts":"…Z","level":"info","label":"…","msg":"…", <metadata keys>…}`.
///
/// Metadata keys become top-level fields (sorted), merged from the metadata provider, the
/// logger's metadata and the call's, the later winning. A metadata key that clashes with one of
/// the four fixed fields is written as `meta_<key>`. An attached error is written as `error`.
public struct JSONLogHandler: LogHandler {
    static let fixedFields: Set<String> = ["ts", "level", "label", "msg"]

    public let label: String
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let routes: [LogRoute]

    /// Every line at `logLevel` or above goes to `output`.
    public init(label: String, output: JSONLogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, routes: [LogRoute(output, minimumLevel: .trace)], metadataProvider: metadataProvider)
        logLevel = .info
    }

    /// Each line goes to every route that takes its level; `logLevel` starts at the lowest of them.
    public init(label: String, routes: [LogRoute], metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.routes = routes
        self.metadataProvider = metadataProvider
        logLevel = routes.map(\.minimumLevel).min() ?? .critical
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let takers = routes.filter { $0.minimumLevel <= event.level }
        guard !takers.isEmpty else { return }
        let bytes = line(for: event, timestamp: LogTimestamp.now())
        for route in takers { route.output.write(bytes) }
    }

    func line(for event: LogEvent, timestamp: String) -> [UInt8] {
        var merged = metadataProvider?.get() ?? [:]
        merged.merge(metadata) { _, new in new }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string(String(describing: error)) }
        var writer = JSONWriter()
        writer.append(punctuation: "{\"ts\":")
        writer.write(string: timestamp)
        writer.append(punctuation: ",\"level\":")
        writer.write(string: event.level.rawValue)
        writer.append(punctuation: ",\"label\":")
        writer.write(string: label)
        writer.append(punctuation: ",\"msg\":")
        writer.write(string: event.message.description)
        for key in merged.keys.sorted() {
            writer.append(punctuation: ",")
            writer.write(string: Self.fixedFields.contains(key) ? "meta_" + key : key)
            writer.append(punctuation: ":")
            writer.write(JSON(metadata: merged[key]!))
        }
        writer.append(punctuation: "}\n")
        return writer.bytes
    }
}
