import Foundation

/// What Enterprise Gateway tells a launcher: the kernel's id, where to report, the key to seal the
/// report with and the ports allowed. Each comes from an argument, else from the environment
/// under the names EG's launchers read (the unprefixed name first, then the `EG_` one).
public struct LaunchParameters: Sendable, Equatable {
    public let kernelID: String
    public let responseAddress: ResponseAddress
    /// DER of the RSA public key (SubjectPublicKeyInfo), sent base64-encoded.
    public let publicKey: [UInt8]
    public let portRange: PortRange

    public init(kernelID: String, responseAddress: ResponseAddress, publicKey: [UInt8], portRange: PortRange) {
        self.kernelID = kernelID
        self.responseAddress = responseAddress
        self.publicKey = publicKey
        self.portRange = portRange
    }

    /// The parameters as given on the command line, with the environment filling in what is not.
    public struct Arguments: Sendable, Equatable {
        public var kernelID: String?
        public var responseAddress: String?
        public var publicKey: String?
        public var portRange: String?

        public init(kernelID: String? = nil, responseAddress: String? = nil, publicKey: String? = nil, portRange: String? = nil) {
            self.kernelID = kernelID
            self.responseAddress = responseAddress
            self.publicKey = publicKey
            self.portRange = portRange
        }
    }

    /// Arguments win over variables; a missing port range means `0..0`. An empty value counts as missing.
    public static func resolve(_ arguments: Arguments, environment: [String: String]) throws(LauncherError) -> LaunchParameters {
        func value(_ argument: String?, _ names: String...) -> (text: String, source: String)? {
            if let argument, !argument.isEmpty { return (argument, "argument") }
            for name in names {
                if let text = environment[name], !text.isEmpty { return (text, name) }
            }
            return nil
        }
        guard let kernelID = value(arguments.kernelID, "KERNEL_ID")?.text else {
            throw LauncherError(.badInput, "no kernel id: pass --kernel-id or set KERNEL_ID")
        }
        guard let address = value(arguments.responseAddress, "RESPONSE_ADDRESS", "EG_RESPONSE_ADDRESS") else {
            throw LauncherError(.badInput, "no response address: pass --response-address or set RESPONSE_ADDRESS (or EG_RESPONSE_ADDRESS)")
        }
        guard let key = value(arguments.publicKey, "PUBLIC_KEY", "EG_PUBLIC_KEY") else {
            throw LauncherError(.badInput, "no public key: pass --public-key or set PUBLIC_KEY (or EG_PUBLIC_KEY)")
        }
        guard let der = Data(base64Encoded: key.text), !der.isEmpty else {
            throw LauncherError(.badInput, "the public key (\(key.source)) is not base64")
        }
        var range = PortRange.any
        if let text = value(arguments.portRange, "PORT_RANGE", "EG_PORT_RANGE")?.text { range = try PortRange(parsing: text) }
        return LaunchParameters(
            kernelID: kernelID, responseAddress: try ResponseAddress(parsing: address.text), publicKey: Array(der), portRange: range)
    }
}
