import JSONValue
import Testing
@testable import HaskellKernel

@Suite struct KernelspecTests {
    private let template: JSON = [
        "argv": ["@GHCBOX@", "kernel", "--connection-file", "{connection_file}"],
        "display_name": "Haskell (ghcbox)", "language": "haskell",
    ]

    @Test func theBinaryAndExtraArgumentsAreFilledIn() throws {
        let spec = try Kernelspec.fill(template, binary: "/opt/ghc box/\"bin\"/ghcbox", extraArguments: ["--memory-mb=1024", "--cpus", "2"],
                                       source: "t")
        #expect(spec["argv"] == ["/opt/ghc box/\"bin\"/ghcbox", "kernel", "--connection-file", "{connection_file}",
                                 "--memory-mb=1024", "--cpus", "2"])
        #expect(spec["display_name"] == "Haskell (ghcbox)")
        // Quotes and spaces survive as data: the text parses back to the same value.
        #expect(try JSON.parse(spec.serialized()) == spec)
    }

    @Test func aTemplateWithoutTheConnectionFileIsRefused() {
        #expect(throws: KernelspecError.self) {
            try Kernelspec.fill(["argv": ["@GHCBOX@", "kernel"]], binary: "/b", extraArguments: [], source: "t")
        }
        #expect(throws: KernelspecError.self) {
            try Kernelspec.fill(["argv": ["@GHCBOX@", 3, "{connection_file}"]], binary: "/b", extraArguments: [], source: "t")
        }
    }

    @Test func theShippedTemplateRenders() throws {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let spec = try Kernelspec.render(templateIn: parts.joined(separator: "/") + "/kernelspec", binary: "/usr/bin/ghcbox",
                                         extraArguments: [])
        #expect(spec["argv"]?.arrayValue?.first == "/usr/bin/ghcbox")
        #expect(spec["interrupt_mode"] == "message")
    }
}
