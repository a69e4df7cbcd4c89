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
    private let output: JSONLogOutput

    public init(label: String, output: JSONLogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        output.write(line(for: event, timestamp: LogTimestamp.now()))
    }

    func line(for event: LogEvent, timestamp: String) -> [UInt8] {
        var merged = metadataProvider?.get() ?? [:]
        merged.merge(metadata) { _, new in new }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string(String(describing: error)) }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func field(_ name: String) {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            JSONText.append(string: name, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        field("ts")
        JSONText.append(string: timestamp, to: &out)
        field("level")
        JSONText.append(string: event.level.rawValue, to: &out)
        field("label")
        JSONText.append(string: label, to: &out)
        field("msg")
        JSONText.append(string: event.message.description, to: &out)
        for key in merged.keys.sorted() {
            field(Self.fixedFields.contains(key) ? "meta_" + key : key)
            JSONText.append(value: merged[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
        return out
    }
}
