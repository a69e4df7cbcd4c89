import Foundation
@testable import GHCiRuntime

/// Runs one corpus cell through a real GHCi, the way the kernel sends chunks,
/// and returns the stderr of each chunk. Used by the live tests and by capture.
struct GHCiTranscript {
    /// `ghci`, or `chroot <root> ghci` for the Debian 13 root with GHC 9.6.
    var command: [String]

    static let chunkEnd = "@@ghcbox-chunk-end@@"

    static var hostGHCi: GHCiTranscript? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/ghci") {
            return GHCiTranscript(command: ["\(dir)/ghci"])
        }
        return nil
    }

    static var trixieRoot: String {
        ProcessInfo.processInfo.environment["GHCBOX_TRIXIE_ROOT"] ?? "/work/trixie-root"
    }

    /// GHC 9.6 inside the Debian 13 root; needs root and `/proc` mounted in it.
    static var trixieGHCi: GHCiTranscript? {
        let root = trixieRoot
        guard FileManager.default.isExecutableFile(atPath: "\(root)/usr/bin/ghci"),
              FileManager.default.fileExists(atPath: "\(root)/proc/self"),
              getuid() == 0 else { return nil }
        return GHCiTranscript(command: ["/usr/sbin/chroot", root, "/usr/bin/ghci"])
    }

    /// The input GHCi reads: settings, then each chunk as the kernel wraps it,
    /// each followed by a marker on stderr so the output can be cut per chunk.
    static func input(for c: DiagnosticsCorpus.Case) -> String {
        var lines = (c.spans ?? true) ? [":set -ferror-spans"] : []
        lines += c.setup ?? []
        for (chunk, start) in zip(c.chunks, c.startLines) {
            lines.append(ChunkWrapper.wrap(chunk, startLine: start, cell: c.cell))
            lines.append("System.IO.hPutStrLn System.IO.stderr \"\(chunkEnd)\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The stderr of every chunk of `c`.
    func run(_ c: DiagnosticsCorpus.Case, timeout: TimeInterval = 60) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ghcbox-diag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in"), errURL = dir.appendingPathComponent("err")
        try Self.input(for: c).write(to: inURL, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        let rts = c.rts.map { ["+RTS"] + $0 + ["-RTS"] } ?? []
        process.arguments = Array(command.dropFirst()) + ["-v0", "-ignore-dot-ghci"] + rts
        process.currentDirectoryURL = dir
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }

        let stderr = try String(contentsOf: errURL, encoding: .utf8)
        let parts = stderr.components(separatedBy: Self.chunkEnd + "\n")
        return c.chunks.indices.map { $0 < parts.count ? parts[$0] : "" }
    }
}
