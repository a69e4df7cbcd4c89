import ArgumentParser
import JupyterWire

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Serve one Jupyter session (what the kernelspec runs).")

    @Option(name: .customLong("connection-file"), help: "The connection file Jupyter wrote.")
    var connectionFile: String

    @OptionGroup var session: SessionOptions
    @OptionGroup var telemetry: TelemetryOptions

    func run() throws {
        let connection: ConnectionInfo
        do { connection = try ConnectionInfo.load(path: connectionFile) } catch {
            throw ValidationError("cannot use connection file \(connectionFile): \(error)")
        }
        try KernelHost.serve(connection: connection, session: session, telemetry: telemetry, readyMetadata: ["connection_file": "\(connectionFile)"])
    }
}
