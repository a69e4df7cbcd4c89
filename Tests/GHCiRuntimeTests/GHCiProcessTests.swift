import Foundation
import InterpreterAPI
import Testing
@testable import GHCiRuntime

/// Records what a chunk printed, from the reader threads.
final class OutputLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [KernelOutput] = []
    var all: [KernelOutput] { lock.withLock { items } }
    func add(_ item: KernelOutput) { lock.withLock { items.append(item) } }
    var stdout: String { stream("stdout") }
    var stderr: String { stream("stderr") }
    var results: [String] {
        all.compactMap { if case .executeResult(let data, _) = $0 { data["text/plain"]?.stringValue } else { nil } }
    }
    func io(input: @escaping @Sendable (String) -> InputResult = { _ in .notAllowed }) -> ExecutionContext {
        ExecutionContext(publish: { [self] in add($0) }, requestInput: { prompt, _ in input(prompt) })
    }
    private func stream(_ name: String) -> String {
        all.compactMap { if case .stream(name, let text) = $0 { text } else { nil } }.joined()
    }
}

let ghciPath = ["/usr/bin/ghci", "/usr/local/bin/ghci"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// The runtime package for the tests' GHCi, built once into `.build/test-runtime-packages`.
func testRuntimePackage() throws -> RuntimePackage {
    let ghci = try #require(ghciPath, "ghci is not installed: run ci/setup")
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3) // Tests/GHCiRuntimeTests/<this file>
    return try RuntimePackage.prepare(toolchain: GHCToolchain(ghci: ghci), ghcVersion: "test", cacheRoot: parts.joined(separator: "/") + "/.build/test-runtime-packages", displays: [])
}

func startGHCi() throws -> GHCiProcess {
    try GHCiProcess.start(launcher: PlainLauncher(), executable: try #require(ghciPath, "ghci is not installed: run ci/setup"),
                          arguments: RuntimeConfiguration().arguments + testRuntimePackage().ghciArguments(),
                          environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"])
}

@Suite(.serialized) struct GHCiProcessTests {
    @Test func keepsStateAndSeparatesResultsFromPrintedText() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        #expect(!ghci.run("let x = 2", io: log.io()).failed)
        let report = ghci.run("putStrLn \"hi\" >> return (x * 5)", io: log.io())
        #expect(!report.failed)
        #expect(log.stdout == "hi\n")
        #expect(log.results == ["10"])
    }

    @Test func reportsCompileErrorsWithoutStreamingThem() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        let report = ghci.run("lenght [1,2,3]", io: log.io())
        #expect(report.compileFailed)
        #expect(report.compileReport.contains("Variable not in scope: lenght"))
        #expect(log.stderr.isEmpty)
        #expect(ghci.run("1 + 1", io: log.io()).failed == false)
        #expect(log.results == ["2"])
    }

    @Test func reportsRuntimeExceptionsAndKeepsStderrApart() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        let report = ghci.run("System.IO.hPutStrLn System.IO.stderr \"warn\" >> print (head ([] :: [Int]))", io: log.io())
        #expect(report.exceptionReport?.contains("empty list") == true)
        #expect(log.stderr == "warn\n")
    }

    /// A value is framed while it prints: what `show` gave before it threw is output, and the
    /// cell's own buffering of stdout is what it was before the value printed.
    @Test func aValueThatThrowsHalfwayKeepsWhatItPrintedAndTheCellsBuffering() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        #expect(!ghci.run("System.IO.hSetBuffering System.IO.stdout System.IO.NoBuffering", io: log.io()).failed)
        let report = ghci.run("[1, 2, undefined] :: [Int]", io: log.io())
        #expect(report.exceptionReport?.contains("undefined") == true)
        #expect(log.stdout.hasPrefix("[1,2,"))
        #expect(log.results.isEmpty)
        #expect(!ghci.run("System.IO.hGetBuffering System.IO.stdout", io: log.io()).failed)
        #expect(log.results == ["NoBuffering"])
    }

    /// An endless value streams as output instead of piling up as one result.
    @Test func anEndlessValueStreamsUntilInterrupted() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        DispatchQueue.global().async {
            let until = ContinuousClock.now + .seconds(20)
            while log.stdout.utf8.count < 2_000_000 && ContinuousClock.now < until { Thread.sleep(forTimeInterval: 0.05) }
            ghci.interrupt(grace: .seconds(2))
        }
        let report = ghci.run("[1 ..] :: [Integer]", io: log.io())
        #expect(report.ending == .interrupted)
        #expect(log.stdout.hasPrefix("[1,2,3,"))
        #expect(log.stdout.utf8.count >= 2_000_000)
        #expect(log.results.isEmpty)
    }

    @Test func answersStdinThroughTheKernel() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        let report = ghci.run("getLine >>= \\s -> putStrLn (reverse s)", io: log.io(input: { _ in .text("abc") }))
        #expect(!report.failed)
        #expect(log.stdout == "cba\n")
        let denied = ghci.run("getLine", io: log.io(input: { _ in .notAllowed }))
        #expect(denied.exceptionReport?.contains("stdin is not available: this client does not accept input") == true)
    }

    @Test func interruptStopsASleepingChunkAndKeepsTheSession() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        _ = ghci.run("let y = 41", io: log.io())
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { ghci.interrupt(grace: .seconds(2)) }
        let report = ghci.run("Control.Concurrent.threadDelay 10000000", io: log.io())
        #expect(report.ending == .interrupted)
        _ = ghci.run("y + 1", io: log.io())
        #expect(log.results == ["42"])
    }

    /// A SIGINT that reaches GHCi after its chunk ended, while the boot macro waits for the next
    /// batch (a late interrupt, or one meant for the gap between two chunks), is dropped: GHCi
    /// used to abandon the macro and read commands from stdin, so the next chunk never ended.
    @Test func aLateInterruptBetweenChunksLeavesTheSessionWorking() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        #expect(!ghci.run("let z = 6", io: log.io()).failed)
        for _ in 0..<2 {
            ghci.child.signal(SIGINT)
            // Deliberate: the signal must land while GHCi idles between chunks; the chunk after checks the outcome.
            Thread.sleep(forTimeInterval: 0.2)
        }
        let report = ghci.run("z * 7", io: log.io(), deadline: .now + .seconds(10))
        #expect(report.ending == .completed)
        #expect(!report.failed)
        #expect(log.results == ["42"])
        #expect(!log.stderr.contains("Interrupted"))
    }

    @Test func reportsDeathOfGHCi() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { ghci.child.signal(SIGKILL) }
        let report = ghci.run("Control.Concurrent.threadDelay 10000000", io: OutputLog().io())
        guard case .died = report.ending else { Issue.record("expected death, got \(report.ending)"); return }
    }

    @Test func survivesAModuleResetWhenRebooted() throws {
        let ghci = try startGHCi()
        defer { ghci.terminate() }
        let log = OutputLog()
        #expect(!ghci.run(":module Data.List", reboot: true, io: log.io()).failed)
        _ = ghci.run("sort [3,1,2]", io: log.io())
        #expect(log.results == ["[1,2,3]"])
    }
}
