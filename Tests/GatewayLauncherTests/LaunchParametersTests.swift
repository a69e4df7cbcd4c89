import Testing
@testable import GatewayLauncher

@Suite struct PortRangeTests {
    @Test func parsesARangeAndAny() throws {
        #expect(try PortRange(parsing: "9000..10000") == PortRange(parsing: " 9000..10000\n"))
        let range = try PortRange(parsing: "9000..10000")
        #expect((range.lower, range.upper) == (9000, 10000))
        #expect(try PortRange(parsing: "0..0").isAny)
        #expect(!range.isAny)
    }

    @Test(arguments: ["9000", "9000-10000", "a..b", "10..5", "0..100", "100..100", "1..70000", "..", "1..2..3", ""])
    func refusesMalformedRanges(_ text: String) {
        #expect(throws: LauncherError.self) { try PortRange(parsing: text) }
    }

    @Test func aRangeMustHoldTheSixPortsTheKernelNeeds() throws {
        #expect(throws: LauncherError.self) { try PortRange(parsing: "40000..40004") }
        #expect(try PortRange(parsing: "40000..40005").upper == 40005)
    }

    @Test func candidatesStayInTheRange() throws {
        let range = try PortRange(parsing: "40000..40010")
        var source = SystemRandomNumberGenerator()
        for _ in 0..<200 { #expect((40000...40010).contains(range.candidate(using: &source))) }
        #expect(PortRange.any.candidate(using: &source) == 0)
    }
}

@Suite struct ResponseAddressTests {
    @Test func parsesHostAndPort() throws {
        #expect(try ResponseAddress(parsing: "10.0.0.5:8877") == ResponseAddress(host: "10.0.0.5", port: 8877))
        #expect(try ResponseAddress(parsing: "eg.svc.cluster.local:8877").host == "eg.svc.cluster.local")
    }

    @Test(arguments: ["10.0.0.5", ":8877", "host:", "host:0", "host:70000", "host:port", "::1:8877"])
    func refusesMalformedAddresses(_ text: String) {
        #expect(throws: LauncherError.self) { try ResponseAddress(parsing: text) }
    }
}

@Suite struct LaunchParametersTests {
    let key = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7"

    @Test func readsTheEnvironmentWhenNoArgumentIsGiven() throws {
        let parameters = try LaunchParameters.resolve(.init(), environment: [
            "KERNEL_ID": "k-1", "RESPONSE_ADDRESS": "10.0.0.5:8877", "PUBLIC_KEY": key, "PORT_RANGE": "9000..10000",
        ])
        #expect(parameters.kernelID == "k-1")
        #expect(parameters.responseAddress == ResponseAddress(host: "10.0.0.5", port: 8877))
        #expect(parameters.publicKey.prefix(3) == [0x30, 0x81, 0x9f])
        #expect(parameters.portRange == (try PortRange(parsing: "9000..10000")))
    }

    @Test func argumentsWinOverTheEnvironment() throws {
        let given = LaunchParameters.Arguments(kernelID: "from-arg", responseAddress: "127.0.0.1:1234", publicKey: key, portRange: "0..0")
        let parameters = try LaunchParameters.resolve(given, environment: [
            "KERNEL_ID": "from-env", "RESPONSE_ADDRESS": "10.0.0.5:8877", "PUBLIC_KEY": "bm90IGEga2V5", "PORT_RANGE": "9000..10000",
        ])
        #expect(parameters.kernelID == "from-arg")
        #expect(parameters.responseAddress.port == 1234)
        #expect(parameters.portRange.isAny)
    }

    @Test func theUnprefixedVariableWinsOverTheEGOne() throws {
        let environment = [
            "KERNEL_ID": "k", "RESPONSE_ADDRESS": "a:1", "EG_RESPONSE_ADDRESS": "b:2",
            "EG_PUBLIC_KEY": key, "EG_PORT_RANGE": "9000..10000",
        ]
        let parameters = try LaunchParameters.resolve(.init(), environment: environment)
        #expect(parameters.responseAddress.host == "a")
        #expect(parameters.portRange.lower == 9000)
        var onlyEG = environment
        onlyEG["RESPONSE_ADDRESS"] = ""
        #expect(try LaunchParameters.resolve(.init(), environment: onlyEG).responseAddress.host == "b")
    }

    @Test func aMissingPortRangeMeansAny() throws {
        let parameters = try LaunchParameters.resolve(.init(kernelID: "k", responseAddress: "a:1", publicKey: key), environment: [:])
        #expect(parameters.portRange.isAny)
    }

    @Test func namesWhatIsMissing() {
        func failure(_ given: LaunchParameters.Arguments) -> String? {
            do { _ = try LaunchParameters.resolve(given, environment: [:]); return nil } catch { return error.detail }
        }
        #expect(failure(.init(responseAddress: "a:1", publicKey: key))?.contains("KERNEL_ID") == true)
        #expect(failure(.init(kernelID: "k", publicKey: key))?.contains("RESPONSE_ADDRESS") == true)
        #expect(failure(.init(kernelID: "k", responseAddress: "a:1"))?.contains("PUBLIC_KEY") == true)
        #expect(failure(.init(kernelID: "k", responseAddress: "a:1", publicKey: "not base64!"))?.contains("base64") == true)
        #expect(failure(.init(kernelID: "k", responseAddress: "a:1", publicKey: key, portRange: "1..2..3"))?.contains("port range") == true)
    }
}
