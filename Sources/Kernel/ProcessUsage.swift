import Foundation
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// CPU time and resident memory of processes, from `/proc/PID/stat`.
struct ProcessUsage: Equatable {
    /// User and system time of all the process's threads.
    var cpuSeconds: Double = 0
    var residentBytes: Int = 0

    /// This process.
    static func ofSelf() -> ProcessUsage {
        stat(of: "self")?.usage ?? ProcessUsage()
    }

    /// The processes below `pid` (its children and theirs), summed: what a session uses
    /// when no cgroup counts it. A process that ended takes its CPU time with it.
    static func ofDescendants(of pid: pid_t) -> ProcessUsage {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var children: [pid_t: [(pid: pid_t, usage: ProcessUsage)]] = [:]
        for entry in entries {
            guard let child = pid_t(entry), let stat = stat(of: entry) else { continue }
            children[stat.parent, default: []].append((child, stat.usage))
        }
        var total = ProcessUsage()
        var pending = [pid]
        while let parent = pending.popLast() {
            for child in children[parent] ?? [] {
                total.cpuSeconds += child.usage.cpuSeconds
                total.residentBytes += child.usage.residentBytes
                pending.append(child.pid)
            }
        }
        return total
    }

    /// The fields of one `stat` file that matter here.
    struct Stat: Equatable {
        var parent: pid_t
        var usage: ProcessUsage
    }

    static func stat(of process: String) -> Stat? {
        guard let bytes = try? FileDescriptor.readWholeFile(at: FilePath("/proc/\(process)/stat")) else { return nil }
        return parse(stat: bytes)
    }

    /// `pid (comm) state ppid ... utime stime ... rss ...`: the command name may hold spaces
    /// and parentheses, so fields are counted from the last `)`.
    static func parse(stat bytes: [UInt8]) -> Stat? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
        // fields[0] is field 3 of proc(5): ppid is 4, utime 14, stime 15, rss 24.
        guard fields.count > 21, let parent = pid_t(fields[1]), let user = Double(fields[11]), let system = Double(fields[12]),
              let pages = Int(fields[21])
        else { return nil }
        return Stat(parent: parent, usage: ProcessUsage(cpuSeconds: (user + system) / ticksPerSecond,
                                                        residentBytes: pages * pageSize))
    }

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    static let pageSize = sysconf(Int32(_SC_PAGESIZE))
}
