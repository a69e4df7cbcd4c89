/// The Haskell modules of the runtime package, in dependency order: the driver's own
/// (`GhcboxRuntime`), the ones a cell imports (`GHCbox.Display`, `GHCbox.Comm`,
/// `GHCbox.Widgets`, with `GHCbox.JSON` under them), and `GhcboxSession`, which the
/// interactive context imports. The display libraries' modules are packages of their
/// own (`DisplayLibrary`).
enum RuntimeSources {
    static let modules: [(name: String, source: String)] = [
        (RuntimeModule.name, RuntimeModule.source),
        (JSONModule.name, JSONModule.source),
        (DisplayModule.name, DisplayModule.source),
        (CommModule.name, CommModule.source),
        (WidgetsModule.name, WidgetsModule.source),
        (SessionModule.name, SessionModule.source),
    ]

    /// The packages the modules import, all of them GHC's own.
    static let depends = ["base", "unix", "bytestring", "containers"]

    /// What the package's cache key covers.
    static var fingerprintText: String { modules.map { $0.name + "\0" + $0.source }.joined(separator: "\0") }

    /// Where GHC looks for a module's source under the build folder (`GHCbox/Display.hs`).
    static func path(of module: String) -> String {
        module.replacingOccurrences(of: ".", with: "/") + ".hs"
    }
}
