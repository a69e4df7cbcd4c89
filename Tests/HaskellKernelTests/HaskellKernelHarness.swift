import Foundation
import GHCiRuntime
import HaskellKernel
import JSONValue
import JupyterWire
import KernelTestSupport
import Logging
import Testing

let testGHCi = ["/usr/bin/ghci", "/usr/local/bin/ghci"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// A Haskell interpreter on a real, unjailed GHCi (the jail has its own tests).
func makeHaskellInterpreter() throws -> HaskellInterpreter {
    let ghci = try #require(testGHCi, "ghci is not installed: run ci/setup")
    let settings = SessionSettings(toolchain: GHCToolchain(ghci: ghci), sandboxed: false)
    let interpreter = InterpreterFactory.make(settings, logger: Logger(label: "test"))
    try #require(interpreter.blockedReason == nil, "\(interpreter.blockedReason ?? "")")
    return interpreter
}

extension InMemoryKernel {
    /// Runs `code` and returns its reply and the iopub messages parented to it, once `idle` is out.
    func run(_ code: String) throws -> (reply: Message, iopub: [Message]) {
        let request = request("execute_request", ["code": .string(code), "silent": false, "store_history": true,
                                                  "allow_stdin": false, "stop_on_error": true])
        guard let reply = reply(to: request, timeout: .seconds(60)) else { throw MissingReply(code: code) }
        #expect(waitForIdle(request))
        return (reply, iopub(for: request))
    }
}

extension [Message] {
    func of(_ type: String) -> [Message] { filter { $0.header.msgType == type } }

    func streamText(_ name: String) -> String {
        of("stream").filter { $0.content["name"]?.stringValue == name }.compactMap { $0.content["text"]?.stringValue }.joined()
    }
}

struct MissingReply: Error, CustomStringConvertible {
    let code: String
    var description: String { "no execute_reply within 60 s for: \(code)" }
}
