/// One label of a series, already a valid Prometheus label name.
struct Label: Hashable, Sendable, Comparable {
    let name: String
    let value: String

    static func < (a: Label, b: Label) -> Bool {
        (a.name, a.value) < (b.name, b.value)
    }

    /// swift-metrics dimensions as a canonical label set: names sanitised, sorted by name,
    /// the first of any duplicate name kept, and `reserved` names (like `le`) suffixed with `_`.
    static func set(from dimensions: [(String, String)], reserved: Set<String> = []) -> [Label] {
        var seen = Set<String>()
        var labels: [Label] = []
        for (rawName, value) in dimensions {
            var name = PrometheusText.labelName(rawName)
            if reserved.contains(name) || name.hasPrefix("__") { name += "_" }
            if seen.insert(name).inserted { labels.append(Label(name: name, value: value)) }
        }
        return labels.sorted()
    }
}
