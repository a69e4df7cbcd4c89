import ArgumentParser
import Foundation
import Logging
import Telemetry

/// Where metrics and logs go: `--metrics-file`, `--metrics-port`, `--log-file`, `--log-level`
/// (or GHCBOX_* variables).
struct TelemetryOptions: ParsableArguments {
    @Option(name: .customLong("metrics-file"), help: "Rewrite Prometheus metrics here after every cell (env GHCBOX_METRICS_FILE), for node_exporter's textfile collector.")
    var metricsFile: String?

    @Option(name: .customLong("metrics-port"), parsing: .unconditional, help: "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics (env GHCBOX_METRICS_PORT).")
    var metricsPort: SettingText?

    @Option(name: .customLong("log-file"), help: "Append JSON log lines at --log-level (default info) and above here (env GHCBOX_LOG_FILE); warnings and errors also go to stderr.")
    var logFile: String?

    @Option(name: .customLong("log-level"), parsing: .unconditional, help: "Least level logged: trace, debug, info, notice, warning, error or critical (env GHCBOX_LOG_LEVEL; default warning on stderr, info in a log file).")
    var logLevel: SettingText?

    static let port = WholeNumberSetting(flag: "--metrics-port", variable: "GHCBOX_METRICS_PORT", what: "the metrics port",
                                         unit: nil, accepted: 1...65535)

    func metricsFilePath(environment: [String: String]) -> String? {
        metricsFile ?? environment["GHCBOX_METRICS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func metricsPortNumber(environment: [String: String], problems: inout [String]) -> UInt16? {
        Self.port.value(flag: metricsPort, environment: environment, problems: &problems).map { UInt16($0) }
    }

    /// Where log lines go. Without a log file, stderr takes `--log-level` and above (warnings by
    /// default, so a terminal client shows no per-cell lines); with one, the file takes that level
    /// (info by default) and stderr still takes warnings and errors.
    func logRoutes(environment: [String: String], problems: inout [String]) -> [LogRoute] {
        let level = chosenLevel(environment: environment, problems: &problems)
        guard let file = logOutput(environment: environment, problems: &problems) else {
            return [LogRoute(.standardError, minimumLevel: level ?? .warning)]
        }
        let fileLevel = level ?? .info
        return [LogRoute(.standardError, minimumLevel: max(fileLevel, .warning)), LogRoute(file, minimumLevel: fileLevel)]
    }

    private func chosenLevel(environment: [String: String], problems: inout [String]) -> Logger.Level? {
        let source: String
        let text: String
        if let logLevel {
            (source, text) = (SettingSource.flag("--log-level"), logLevel.text)
        } else if let set = environment["GHCBOX_LOG_LEVEL"], !set.isEmpty {
            (source, text) = (SettingSource.variable("GHCBOX_LOG_LEVEL"), set)
        } else {
            return nil
        }
        if let level = Logger.Level(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) { return level }
        let accepted = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        problems.append("\(source): '\(text)' is not a log level; accepted: \(accepted)")
        return nil
    }

    private func logOutput(environment: [String: String], problems: inout [String]) -> JSONLogOutput? {
        let source: String
        let path: String
        if let logFile {
            (source, path) = (SettingSource.flag("--log-file"), logFile)
        } else if let set = environment["GHCBOX_LOG_FILE"], !set.isEmpty {
            (source, path) = (SettingSource.variable("GHCBOX_LOG_FILE"), set)
        } else {
            return nil
        }
        do {
            return try JSONLogOutput(appendingTo: path)
        } catch {
            let reason = error.errno.map { "\($0)" } ?? "\(error)"
            problems.append("\(source): cannot open \(path) for appending: \(reason)")
            return nil
        }
    }
}
