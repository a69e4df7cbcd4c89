import Foundation
import KernelTestSupport
import JSONValue
@testable import Kernel
import Testing

@Suite(.serialized) struct UsageTests {
    @Test func usageIsAnsweredOnControlWhileACellRuns() throws {
        let kernel = InMemoryKernel(interpreter: FakeInterpreter())
        let blocker = kernel.request("execute_request", ["code": "sleep"])
        _ = kernel.waitFor { _, m in m.header.msgType == "execute_input" }
        let request = kernel.request("usage_request", [:], on: .control)
        let reply = try #require(kernel.reply(to: request))
        #expect(reply.header.msgType == "usage_reply")
        let content = reply.content
        #expect(content["pid"]?.intValue == Int(getpid()))
        #expect(content["hostname"]?.stringValue?.isEmpty == false)
        #expect((content["cpu_count"]?.intValue ?? 0) >= 1)
        #expect((content["kernel_cpu"]?.doubleValue ?? -1) >= 0)
        // The session's megabyte from the interpreter, plus this process's resident memory.
        #expect((content["kernel_memory"]?.intValue ?? 0) > 1 << 20)
        #expect((content["host_virtual_memory"]?["total"]?.intValue ?? 0) > 0)
        #expect(content["fake"]?["budgets"]?["pids"]?.intValue == 256, "the interpreter's details, under its name")
        kernel.request("interrupt_request", [:], on: .control)
        #expect(kernel.reply(to: blocker)?.content["status"]?.stringValue == "aborted")
    }

    @Test func hostCPUTimesCountGuestOnceAndIOWaitAsIdle() throws {
        let stat = "cpu  100 10 50 800 40 5 5 0 30 0\ncpu0 50 5 25 400 20 2 3 0 15 0\nintr 1\n"
        let times = try #require(HostUsage.parse(stat: stat))
        #expect(times == HostUsage.CPUTimes(busy: 170, total: 1010))
        let later = HostUsage.CPUTimes(busy: 270, total: 1410)
        #expect(HostUsage.busyPercent(from: times, to: later) == 25)
        #expect(HostUsage.busyPercent(from: times, to: times) == nil)
    }

    @Test func virtualMemoryHasPsutilsFields() {
        let meminfo = """
            MemTotal:        8000000 kB
            MemFree:         1000000 kB
            MemAvailable:    6000000 kB
            Buffers:          200000 kB
            Cached:          3000000 kB
            Shmem:             50000 kB
            Active:          2500000 kB
            Inactive:        2000000 kB
            Slab:             400000 kB
            SReclaimable:     300000 kB
            """
        let memory = HostUsage.virtualMemory(meminfo: meminfo)
        #expect(memory["total"]?.intValue == 8_000_000 * 1024)
        #expect(memory["available"]?.intValue == 6_000_000 * 1024)
        #expect(memory["used"]?.intValue == 2_000_000 * 1024)
        #expect(memory["free"]?.intValue == 1_000_000 * 1024)
        #expect(memory["percent"]?.doubleValue == 25)
        #expect(memory["cached"]?.intValue == 3_300_000 * 1024)
        #expect(memory["active"]?.intValue == 2_500_000 * 1024)
        #expect(memory["inactive"]?.intValue == 2_000_000 * 1024)
    }

    @Test func processStatIsReadFromItsLastParenthesis() throws {
        let line = "4242 (a) b (c)) S 17 4242 4242 0 -1 4194560 500 0 0 0 250 150 0 0 20 0 3 0 100 1000000 300 18446744073709551615"
        let stat = try #require(ProcessUsage.parse(stat: Array(line.utf8)))
        #expect(stat.parent == 17)
        #expect(stat.usage.cpuSeconds == 400 / ProcessUsage.ticksPerSecond)
        #expect(stat.usage.residentBytes == 300 * ProcessUsage.pageSize)
        #expect(ProcessUsage.ofSelf().residentBytes > 0)
    }
}
