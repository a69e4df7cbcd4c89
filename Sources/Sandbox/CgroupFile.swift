import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The cgroup interface files, through one layer of syscalls: one-off writes and reads of
/// control files, and counters kept open and re-read with `pread` at offset 0 into a
/// stack buffer, so that polling them every few tens of ms costs a syscall per file and no
/// allocation.
struct CgroupFile: Sendable {
    let path: String
    let fd: FileDescriptor

    /// Opens a counter for reading (and writing, when `writable` and the kernel allows it).
    static func open(_ path: String, writable: Bool = false) -> CgroupFile? {
        guard let fd = try? FileDescriptor.open(FilePath(path), writable ? .readWrite : .readOnly, options: .closeOnExec)
        else { return nil }
        return CgroupFile(path: path, fd: fd)
    }

    func close() { try? fd.close() }

    /// Calls `body` with the file's current contents (at most 1 KiB; counters are small).
    func scan<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer -> T? in
            guard let n = try? fd.read(fromAbsoluteOffset: 0, into: UnsafeMutableRawBufferPointer(buffer)) else { return nil }
            return body(UnsafeBufferPointer(rebasing: buffer[..<n]))
        }
    }

    /// The file's first number (`memory.peak`, `cpuacct.usage`, `pids.current`).
    func number() -> UInt64? { scan { Self.number(in: $0, at: 0) } ?? nil }

    /// The number on the line `key N` (`memory.events`, `cpu.stat`, `pids.events`).
    func number(after key: StaticString) -> UInt64? { scan { Self.number(in: $0, after: key) } ?? nil }

    /// Writes through the open descriptor (resetting v2's `memory.peak` for this descriptor).
    func write(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            (try? fd.write(toAbsoluteOffset: 0, UnsafeRawBufferPointer(bytes))) == bytes.count
        }
    }

    // MARK: one-off access to control files

    /// Writes `text` to a control file in one `write`, as the kernel expects.
    static func write(_ path: String, _ text: String) throws(SandboxError) {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: .closeOnExec)
        } catch {
            throw SandboxError(.cgroup, errno: (error as? Errno)?.rawValue ?? EIO, detail: "opening \(path) to write '\(text)'")
        }
        defer { try? fd.close() }
        var text = text
        do {
            _ = try text.withUTF8 { bytes in try fd.write(UnsafeRawBufferPointer(bytes)) }
        } catch {
            throw SandboxError(.cgroup, errno: (error as? Errno)?.rawValue ?? EIO, detail: "writing '\(text)' to \(path)")
        }
    }

    /// The whole contents of a control file.
    static func read(_ path: String) throws(SandboxError) -> String {
        do throws(SandboxError) {
            return String(decoding: try readWholeFile(path), as: UTF8.self)
        } catch {
            throw SandboxError(.cgroup, errno: error.errno, detail: "reading \(path)")
        }
    }

    /// The pids in a `cgroup.procs` file (none if it has gone).
    static func pids(_ path: String) -> [pid_t] {
        guard let text = try? read(path) else { return [] }
        return text.split(separator: "\n").compactMap { pid_t($0) }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    // MARK: parsing without allocation

    static func number(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt64? {
        var i = start, value: UInt64 = 0, digits = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            value = value &* 10 &+ UInt64(bytes[i] - 0x30)
            i += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    static func number(in bytes: UnsafeBufferPointer<UInt8>, after key: StaticString) -> UInt64? {
        let keyLength = key.utf8CodeUnitCount
        var lineStart = 0
        while lineStart < bytes.count {
            var matches = lineStart + keyLength < bytes.count && bytes[lineStart + keyLength] == 0x20
            var k = 0
            while matches && k < keyLength {
                matches = bytes[lineStart + k] == key.utf8Start[k]
                k += 1
            }
            if matches { return number(in: bytes, at: lineStart + keyLength + 1) }
            while lineStart < bytes.count && bytes[lineStart] != 0x0a { lineStart += 1 }
            lineStart += 1
        }
        return nil
    }
}
