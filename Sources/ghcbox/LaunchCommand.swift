import ArgumentParser
import Foundation
import GatewayLauncher
import Logging

/// Jupyter Enterprise Gateway's kernel launcher: picks the ports, reports them to EG sealed with
/// its public key, serves the session as `kernel` does and takes EG's requests on the comm port.
struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch", abstract: "Start a kernel for Jupyter Enterprise Gateway and report its connection info to EG.",
        discussion: "Each option falls back to the variable EG sets: KERNEL_ID, RESPONSE_ADDRESS (or EG_RESPONSE_ADDRESS), PUBLIC_KEY (or EG_PUBLIC_KEY), PORT_RANGE (or EG_PORT_RANGE).")

    @Option(name: .customLong("kernel-id"), help: "The id EG gave the kernel (env KERNEL_ID).")
    var kernelID: String?

    @Option(name: .customLong("response-address"), help: "host:port where EG waits for the connection info (env RESPONSE_ADDRESS or EG_RESPONSE_ADDRESS).")
    var responseAddress: String?

    @Option(name: .customLong("public-key"), help: "EG's RSA public key, base64 DER (env PUBLIC_KEY or EG_PUBLIC_KEY).")
    var publicKey: String?

    @Option(name: .customLong("port-range"), help: "lower..upper for the kernel's ports; 0..0 lets the system pick (env PORT_RANGE or EG_PORT_RANGE).")
    var portRange: String?

    @Option(name: .customLong("kernel-name"), help: "The kernel_name written into the connection info.")
    var kernelName = "ghcbox"

    @OptionGroup var serving: ServingOptions

    func run() throws {
        let parameters: LaunchParameters
        let key: RSAPublicKey
        let plan: LaunchPlan
        do {
            let given = LaunchParameters.Arguments(kernelID: kernelID, responseAddress: responseAddress, publicKey: publicKey, portRange: portRange)
            parameters = try LaunchParameters.resolve(given, environment: ProcessInfo.processInfo.environment)
            key = try RSAPublicKey(der: parameters.publicKey)
            plan = try LaunchPlan.make(range: parameters.portRange)
        } catch {
            throw CommandFailure("\(error)")
        }
        // A bad setting is reported in the kernel's banner and replies, as `kernel` does.
        let configuration = KernelConfiguration(serving, environment: ProcessInfo.processInfo.environment)
        let comm = CommListener(socket: plan.commSocket)
        try KernelHost.serve(
            connection: plan.connection, configuration: configuration,
            readyMetadata: ["kernel_id": "\(parameters.kernelID)", "comm_port": "\(plan.commPort)"]
        ) { logger in
            comm.start(logger: logger) { request in
                switch request.effect {
                case .none: break
                case .interrupt: SignalPipe.deliver(SIGINT)
                case .shutDown: SignalPipe.deliver(SIGTERM)
                case .ignored(let signal): logger.info("comm port: signal ignored", metadata: ["signum": "\(signal)"])
                }
            }
            try plan.announce(parameters, publicKey: key, kernelName: kernelName)
            logger.info("connection info sent", metadata: ["response_address": "\(parameters.responseAddress)"])
        }
        comm.stop()
    }
}
