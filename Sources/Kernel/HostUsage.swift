import Foundation
import JSONValue
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The host's CPU and memory as psutil reports them on Linux (`cpu_percent`,
/// `virtual_memory`, `cpu_count`), from `/proc/stat` and `/proc/meminfo`: the figures
/// jupyter-resource-usage's kernel panel shows beside the kernel's own.
enum HostUsage {
    /// The CPUs' time since boot, in clock ticks, summed over all CPUs.
    struct CPUTimes: Equatable {
        var busy: UInt64
        var total: UInt64
    }

    static func cpuTimes() -> CPUTimes? {
        (try? FileDescriptor.readWholeFile(at: "/proc/stat")).flatMap { parse(stat: String(decoding: $0, as: UTF8.self)) }
    }

    /// The `cpu` line: user nice system idle iowait irq softirq steal guest guest_nice. Guest
    /// time is already counted in user and nice, and iowait is idle, as psutil counts them.
    static func parse(stat text: String) -> CPUTimes? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard ticks.count >= 5 else { return nil }
        let total = ticks.prefix(8).reduce(0, +)
        return CPUTimes(busy: total - ticks[3] - ticks[4], total: total)
    }

    /// Percent of the host's CPU time that was busy between two readings, to 0.1; nil when
    /// no time passed.
    static func busyPercent(from start: CPUTimes, to end: CPUTimes) -> Double? {
        guard end.total > start.total else { return nil }
        let busy = Double(end.busy >= start.busy ? end.busy - start.busy : 0)
        return rounded(busy / Double(end.total - start.total) * 100)
    }

    /// psutil's `virtual_memory()._asdict()`: bytes, and `percent` of the total not available.
    static func virtualMemory() -> [String: JSON] {
        (try? FileDescriptor.readWholeFile(at: "/proc/meminfo")).map { virtualMemory(meminfo: String(decoding: $0, as: UTF8.self)) } ?? [:]
    }

    static func virtualMemory(meminfo text: String) -> [String: JSON] {
        var kB: [Substring: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let value = Int(parts[1]) { kB[parts[0].dropLast()] = value }
        }
        func bytes(_ key: Substring) -> Int { (kB[key] ?? 0) * 1024 }
        guard let totalKB = kB["MemTotal"], totalKB > 0 else { return [:] }
        let total = totalKB * 1024
        let free = bytes("MemFree")
        // `free`(1) counts reclaimable slab as cache.
        let cached = bytes("Cached") + bytes("SReclaimable")
        var available = kB["MemAvailable"].map { $0 * 1024 } ?? (free + bytes("Buffers") + cached)
        // MemAvailable beyond the total (a container's distorted view) means nothing: psutil then uses free.
        if available > total { available = free }
        return [
            "total": .int(total), "available": .int(available),
            "percent": .double(rounded(Double(total - available) / Double(total) * 100)),
            "used": .int(total - available), "free": .int(free),
            "active": .int(bytes("Active")), "inactive": .int(bytes("Inactive")),
            "buffers": .int(bytes("Buffers")), "cached": .int(cached), "shared": .int(bytes("Shmem")),
            "slab": .int(bytes("Slab")),
        ]
    }

    /// CPUs online, as `os.cpu_count()` counts them.
    static var cpuCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    static var hostname: String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func rounded(_ percent: Double) -> Double { (percent * 10).rounded() / 10 }
}
