import Foundation
import InterpreterAPI
import JSONValue
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Answers `usage_request` with ipykernel's reply (the content jupyter-resource-usage's kernel
/// panel reads): `kernel_cpu` is the percent of one CPU that the kernel process and its session
/// used since the previous request, `kernel_memory` their bytes now, `host_cpu_percent` the
/// host's busy share over the same span. The first request counts from the kernel's start.
final class UsageMonitor: Sendable {
    /// Where the session's figures come from: the interpreter's counters (a cgroup) or the
    /// kernel's child processes.
    enum Source: Equatable {
        case interpreter
        case childProcesses
    }

    private struct Reading {
        var at: ContinuousClock.Instant
        var kernelCPUSeconds: Double
        var sessionCPUSeconds: Double
        var source: Source?
        var host: HostUsage.CPUTimes?
    }

    private let last: Mutex<Reading>

    init() {
        last = Mutex(Reading(at: .now, kernelCPUSeconds: ProcessUsage.ofSelf().cpuSeconds, sessionCPUSeconds: 0,
                             source: nil, host: HostUsage.cpuTimes()))
    }

    /// The reply's content; the interpreter's `details` go under `implementation`.
    func content(session: SessionUsage, implementation: String) -> [String: JSON] {
        let kernel = ProcessUsage.ofSelf()
        let (source, sessionCPU, sessionMemory) = measure(session)
        let host = HostUsage.cpuTimes()
        let now = ContinuousClock.now
        let previous = last.withLock { last in
            defer { last = Reading(at: now, kernelCPUSeconds: kernel.cpuSeconds, sessionCPUSeconds: sessionCPU, source: source, host: host) }
            return last
        }
        // A new session (or a change of source) counts from zero: its counters started after
        // the previous reading.
        let sessionDelta = previous.source == source && sessionCPU >= previous.sessionCPUSeconds
            ? sessionCPU - previous.sessionCPUSeconds : sessionCPU
        let cpuDelta = max(0, kernel.cpuSeconds - previous.kernelCPUSeconds) + sessionDelta
        let span = (now - previous.at) / .seconds(1)
        var content: [String: JSON] = [
            "status": "ok",
            "hostname": .string(HostUsage.hostname),
            "pid": .int(Int(getpid())),
            "kernel_cpu": .double(span > 0 ? HostUsage.rounded(cpuDelta / span * 100) : 0),
            "kernel_memory": .int(kernel.residentBytes + sessionMemory),
            "cpu_count": .int(HostUsage.cpuCount),
            "host_virtual_memory": .object(HostUsage.virtualMemory()),
        ]
        if let start = previous.host, let host, let percent = HostUsage.busyPercent(from: start, to: host) {
            content["host_cpu_percent"] = .double(percent)
        }
        if !session.details.isEmpty { content[implementation] = .object(session.details) }
        return content
    }

    /// The session's CPU seconds over its life and its memory now: the interpreter's where it
    /// measures them, else the kernel's child processes'.
    private func measure(_ session: SessionUsage) -> (Source, cpuSeconds: Double, memoryBytes: Int) {
        if let cpu = session.cpuSeconds, let memory = session.memoryBytes { return (.interpreter, cpu, memory) }
        let children = ProcessUsage.ofDescendants(of: getpid())
        return (.childProcesses, children.cpuSeconds, children.residentBytes)
    }
}
