import Foundation
import Testing
@testable import Sandbox

/// Budgets: the shipped defaults, the precedence of their sources, and every bad value.
struct ResourceBudgetTests {
    /// The repository's defaults file, found from this source file's path.
    static let shippedFile: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/sandbox/budgets.conf"
    }()

    @Test func theShippedFileIsGeneratedFromTheBuiltInDefaults() throws {
        let shipped = try String(contentsOfFile: Self.shippedFile, encoding: .utf8)
        #expect(shipped == ResourceBudget.builtIn.fileText, "regenerate it: ghcbox budgets --defaults > sandbox/budgets.conf")
        let loaded = try ResourceBudget.load(defaultsFile: Self.shippedFile, environment: [:], overrides: [:])
        #expect(loaded == ResourceBudget.builtIn)
        #expect(loaded == ResourceBudget(memoryMB: 2048, cpuSeconds: 60, wallSeconds: 120, pids: 256, scratchMB: 256, queueDepth: 64))
        #expect(loaded.cpus == 1)
    }

    @Test func aMissingFileFallsBackToTheBuiltInDefaults() throws {
        #expect(try ResourceBudget.load(defaultsFile: "/nonexistent/budgets.conf", environment: [:], overrides: [:]) == .builtIn)
        #expect(try ResourceBudget.load(defaultsFile: nil, environment: [:], overrides: [:]) == .builtIn)
    }

    @Test func fileThenEnvironmentThenCommandLine() throws {
        let tree = TempTree()
        defer { tree.destroy() }
        tree.write("budgets.conf", """
            # comment line
            memory_mb = 1000   # trailing comment
              cpu_seconds=5\r
            wall_seconds = 7

            """)
        let budget = try ResourceBudget.load(
            defaultsFile: tree.root + "/budgets.conf",
            environment: ["GHCBOX_MEMORY_MB": "2000", "GHCBOX_PIDS": " 100 ", "GHCBOX_WALL_SECONDS": "9", "UNRELATED": "x"],
            overrides: [.memoryMB: 3000, .queueDepth: 5])
        #expect(budget == ResourceBudget(memoryMB: 3000, cpuSeconds: 5, wallSeconds: 9, pids: 100, scratchMB: 256, queueDepth: 5))
    }

    @Test func theCPUCeilingComesFromTheFileTheEnvironmentOrTheCommandLine() throws {
        let tree = TempTree()
        defer { tree.destroy() }
        tree.write("budgets.conf", "cpus = 3\n")
        let file = tree.root + "/budgets.conf"
        #expect(try ResourceBudget.load(defaultsFile: file, environment: [:], overrides: [:]).cpus == 3)
        #expect(try ResourceBudget.load(defaultsFile: file, environment: ["GHCBOX_CPUS": "8"], overrides: [:]).cpus == 8)
        #expect(try ResourceBudget.load(defaultsFile: file, environment: ["GHCBOX_CPUS": "8"], overrides: [.cpus: 1024]).cpus == 1024)
    }

    /// Loads with one bad input and returns the error's text.
    private func failure(file: String? = nil, environment: [String: String] = [:], overrides: [ResourceBudget.Knob: Int] = [:]) -> String {
        let tree = TempTree()
        defer { tree.destroy() }
        if let file { tree.write("budgets.conf", file) }
        do {
            let budget = try ResourceBudget.load(defaultsFile: tree.root + "/budgets.conf", environment: environment, overrides: overrides)
            Issue.record("expected an error, got \(budget)")
            return ""
        } catch {
            #expect(error.code == .budget)
            return error.description
        }
    }

    @Test func badFileLinesNameTheLine() {
        let notNumber = failure(file: "pids = 256\nmemory_mb = lots\n")
        #expect(notNumber.contains("budgets.conf line 2"), "\(notNumber)")
        #expect(notNumber.contains("'lots' is not a whole number"), "\(notNumber)")
        #expect(notNumber.contains("memory_mb accepts a whole number of MB from 64 to 1048576"), "\(notNumber)")

        let unknown = failure(file: "memory = 100\n")
        #expect(unknown.contains("line 1: unknown budget 'memory'; known: memory_mb, cpu_seconds"), "\(unknown)")
        let noEquals = failure(file: "\n\nmemory_mb 100\n")
        #expect(noEquals.contains("line 3: expected 'key = value'"), "\(noEquals)")
        let twice = failure(file: "pids = 100\npids = 200\n")
        #expect(twice.contains("line 2: 'pids' is set twice"), "\(twice)")
        let fractional = failure(file: "cpu_seconds = 1.5\n")
        #expect(fractional.contains("'1.5' is not a whole number"), "\(fractional)")
    }

    @Test func badEnvironmentValuesNameTheVariable() {
        let zero = failure(environment: ["GHCBOX_CPU_SECONDS": "0"])
        #expect(zero.contains("environment variable GHCBOX_CPU_SECONDS: 0 is out of range; cpu_seconds accepts a whole number of seconds from 1 to 86400"), "\(zero)")
        let negative = failure(environment: ["GHCBOX_WALL_SECONDS": "-3"])
        #expect(negative.contains("GHCBOX_WALL_SECONDS: -3 is out of range"), "\(negative)")
        let tiny = failure(environment: ["GHCBOX_MEMORY_MB": "32"])
        #expect(tiny.contains("GHCBOX_MEMORY_MB: 32 is out of range; memory_mb accepts a whole number of MB from 64"), "\(tiny)")
        let bytes = failure(environment: ["GHCBOX_MEMORY_MB": "2147483648"])
        #expect(bytes.contains("out of range"), "\(bytes)")
        let empty = failure(environment: ["GHCBOX_PIDS": ""])
        #expect(empty.contains("GHCBOX_PIDS: '' is not a whole number"), "\(empty)")
        let units = failure(environment: ["GHCBOX_SCRATCH_MB": "256M"])
        #expect(units.contains("GHCBOX_SCRATCH_MB: '256M' is not a whole number"), "\(units)")
        let fewPids = failure(environment: ["GHCBOX_PIDS": "4"])
        #expect(fewPids.contains("pids accepts a whole number of processes from 16"), "\(fewPids)")
        let noCPU = failure(environment: ["GHCBOX_CPUS": "0"])
        #expect(noCPU.contains("GHCBOX_CPUS: 0 is out of range; cpus accepts a whole number of CPUs from 1 to 1024"), "\(noCPU)")
        let halfCPU = failure(environment: ["GHCBOX_CPUS": "0.5"])
        #expect(halfCPU.contains("GHCBOX_CPUS: '0.5' is not a whole number"), "\(halfCPU)")
    }

    @Test func badCommandLineValuesNameTheFlag() {
        let queue = failure(overrides: [.queueDepth: 0])
        #expect(queue.contains("command-line flag --queue-depth: 0 is out of range; queue_depth accepts a whole number of requests from 1 to 100000"), "\(queue)")
        let manyCPUs = failure(overrides: [.cpus: 1025])
        #expect(manyCPUs.contains("command-line flag --cpus: 1025 is out of range"), "\(manyCPUs)")
    }

    @Test func aBadEnvironmentValueIsReportedEvenWhenAFlagOverridesIt() {
        // Every source is checked, so a bad variable is reported even when a flag overrides it.
        let text = failure(environment: ["GHCBOX_PIDS": "x"], overrides: [.pids: 100])
        #expect(text.contains("GHCBOX_PIDS"), "\(text)")
    }

    @Test func ghciHeapIsCappedBelowTheCgroupLimit() {
        func flag(_ mb: Int) -> String {
            var budget = ResourceBudget.builtIn
            budget.memoryMB = mb
            return budget.ghciRTSMemoryFlag
        }
        #expect(flag(2048) == "-M1740m")   // 85%; 308 MB of headroom
        #expect(flag(10000) == "-M8500m")
        #expect(flag(512) == "-M362m")     // 85% would leave 77 MB; keep 150
        #expect(flag(256) == "-M128m")     // 150 MB would leave under half: half
        #expect(flag(64) == "-M32m")
        for mb in stride(from: 64, through: 70000, by: 97) {
            var budget = ResourceBudget.builtIn
            budget.memoryMB = mb
            #expect(budget.ghciHeapMB < mb && budget.ghciHeapMB >= mb / 2)
        }
    }

    @Test func knobsSpellTheirSources() {
        #expect(ResourceBudget.Knob.allCases.map(\.environmentVariable) == [
            "GHCBOX_MEMORY_MB", "GHCBOX_CPU_SECONDS", "GHCBOX_WALL_SECONDS", "GHCBOX_PIDS", "GHCBOX_SCRATCH_MB", "GHCBOX_QUEUE_DEPTH",
            "GHCBOX_OUTPUT_MB", "GHCBOX_CPUS",
        ])
        #expect(ResourceBudget.Knob.memoryMB.flag == "--memory-mb")
        #expect(ResourceBudget.Knob.cpus.flag == "--cpus")
    }
}
