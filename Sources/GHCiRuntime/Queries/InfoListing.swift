/// GHCi's answer to `:info NAME`: the declarations (each with where it is defined), then the
/// instances in scope, one `instance` line each, wrapped onto indented lines when long.
public struct InfoListing: Equatable, Sendable {
    /// The declarations and their "Defined in" lines.
    public var declarations: String
    /// The instance lines (class and type family instances), as GHCi wrote them.
    public var instances: String

    public static func parse(_ output: String) -> InfoListing {
        var declarations: [Substring] = []
        var instances: [Substring] = []
        var inInstance = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let continues = line.first == " " || line.first == "\t"
            if !continues {
                inInstance = ["instance ", "type instance ", "data instance "].contains { line.hasPrefix($0) }
            }
            if inInstance { instances.append(line) } else { declarations.append(line) }
        }
        return InfoListing(declarations: trimmed(declarations), instances: trimmed(instances))
    }

    private static func trimmed(_ lines: [Substring]) -> String {
        lines.joined(separator: "\n").trimmingWhitespace
    }
}
