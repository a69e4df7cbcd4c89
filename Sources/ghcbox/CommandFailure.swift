import SystemPackage

/// Why a command could not do its work, as lines a person reads (each printed as `ghcbox: LINE`).
/// Usage mistakes are ArgumentParser's errors instead, which also print the command's usage.
struct CommandFailure: Error {
    let lines: [String]

    init(_ line: String) { lines = [line] }
    init(lines: [String]) { self.lines = lines }

    /// A file that could not be used: what was being done, the path and the system's reason.
    init(_ action: String, _ path: String, _ errno: Errno) {
        self.init("\(action) \(path): \(errno)")
    }
}
