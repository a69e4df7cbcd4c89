import Logging

/// One place log lines go, with the least level it takes: a kernel sends warnings to stderr
/// and every line at `info` or above to its log file.
public struct LogRoute: Sendable {
    public let output: JSONLogOutput
    public let minimumLevel: Logger.Level

    public init(_ output: JSONLogOutput, minimumLevel: Logger.Level) {
        self.output = output
        self.minimumLevel = minimumLevel
    }
}
