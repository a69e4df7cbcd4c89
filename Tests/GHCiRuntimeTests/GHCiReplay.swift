import Foundation
@testable import GHCiRuntime

/// Feeds split chunks to a real `ghci -v0` the way the kernel's driver will: multi-line
/// chunks inside `:{` / `:}`, LANGUAGE pragmas as `:set -X`. Test-only; the product never
/// spawns through Foundation.
enum GHCiReplay {
    /// `ghci` on PATH, or nil when GHC is not installed.
    static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("ghci")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// The GHCi input for a cell's chunks.
    static func input(for chunks: [CellChunk]) -> String {
        var lines: [String] = []
        for chunk in chunks {
            switch chunk.kind {
            case .pragma:
                lines += chunk.languageExtensions.map { ":set -X\($0)" }
            case _ where chunk.lineCount > 1:
                lines += [":{", chunk.text, ":}"]
            default:
                lines.append(chunk.text)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs GHCi on `input` to end of file and returns stdout and stderr together.
    static func run(_ ghci: URL, input: String) throws -> String {
        let process = Process()
        process.executableURL = ghci
        process.arguments = ["-v0", "-ignore-dot-ghci"]
        let stdin = Pipe()
        let output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Inputs are a few hundred bytes, far below the pipe buffer, so writing first cannot block.
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
