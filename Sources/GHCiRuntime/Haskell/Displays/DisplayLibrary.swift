/// A Haskell library whose values get a rich display: an instance module of orphan
/// `Display` instances, compiled into a package of its own beside the runtime package,
/// only where the library is installed.
///
/// Loading these libraries would take GHCi several times its own start, so no session
/// loads one at boot: when a cell imports one of the library's modules, the same GHCi input also
/// imports the instance module (`DisplayImports`), which is when GHCi loads the library
/// anyway.
public struct DisplayLibrary: Sendable, Equatable {
    /// A short name, also the instance package's suffix (`ghcbox-display-chart`).
    public let name: String
    /// Every package the instance module imports from, all in the global package database
    /// for the library to count as installed.
    let packages: [String]
    /// Modules whose import brings the instances in: each prefix and the modules under it.
    let modulePrefixes: [String]
    /// The instance module.
    let module: String
    let source: String

    var packageName: String { "ghcbox-display-" + name }
    var unitID: String { packageName + "-1" }
    /// GHCi's input that brings the instances into scope, and nothing else.
    var importLine: String { "import \(module) ()" }

    /// True for a module of the library (`Graphics.Rendering.Chart.Easy` for Chart).
    func covers(module imported: String) -> Bool {
        modulePrefixes.contains { imported == $0 || imported.hasPrefix($0 + ".") }
    }

    /// The libraries ghcbox has instances for: Debian's `libghc-*-dev` names beside each.
    public static let all: [DisplayLibrary] = [
        // libghc-chart-dev, libghc-chart-cairo-dev
        DisplayLibrary(name: "chart", packages: ["base", "bytestring", "directory", "Chart", "Chart-cairo"],
                       modulePrefixes: ["Graphics.Rendering.Chart"], module: "GHCbox.Display.Chart", source: ChartDisplay.source),
        // libghc-diagrams-svg-dev
        DisplayLibrary(name: "diagrams", packages: ["base", "text", "diagrams-lib", "diagrams-svg", "svg-builder"],
                       modulePrefixes: ["Diagrams"], module: "GHCbox.Display.Diagrams", source: DiagramsDisplay.source),
        // libghc-blaze-html-dev
        DisplayLibrary(name: "blaze", packages: ["base", "blaze-html", "blaze-markup"],
                       modulePrefixes: ["Text.Blaze"], module: "GHCbox.Display.Blaze", source: BlazeDisplay.source),
        // libghc-lucid-dev
        DisplayLibrary(name: "lucid", packages: ["base", "text", "lucid"],
                       modulePrefixes: ["Lucid"], module: "GHCbox.Display.Lucid", source: LucidDisplay.source),
        // libghc-aeson-dev
        DisplayLibrary(name: "aeson", packages: ["base", "text", "aeson"],
                       modulePrefixes: ["Data.Aeson"], module: "GHCbox.Display.Aeson", source: AesonDisplay.source),
        // libghc-juicypixels-dev
        DisplayLibrary(name: "juicypixels", packages: ["base", "bytestring", "JuicyPixels"],
                       modulePrefixes: ["Codec.Picture"], module: "GHCbox.Display.JuicyPixels", source: JuicyPixelsDisplay.source),
    ]

    /// The library of this name, if ghcbox has one.
    static func named(_ name: String) -> DisplayLibrary? { all.first { $0.name == name } }
}
