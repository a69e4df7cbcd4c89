import Foundation
import SystemLayer
import SystemPackage

/// A short host command run to its end (GHC's version, building the runtime package):
/// how it ended and what it printed.
public struct CommandRun: Sendable {
    public let status: ExitStatus
    public let stdout: String
    public let stderr: String

    public var succeeded: Bool { status == .exited(0) }

    /// Runs `executable` without a jail, stdin closed, reading both streams at once so
    /// neither pipe can fill and stall the command.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = ["PATH": "/usr/local/bin:/usr/bin:/bin"]
    ) throws(SandboxError) -> CommandRun {
        let child = try PlainSpawner.spawn(executable: executable, arguments: arguments, environment: environment)
        child.closeStdin()
        let stderr = Drain(child.stderrFD)
        let stdoutBytes = readToEnd(child.stdoutFD)
        let stderrBytes = stderr.wait()
        let status = child.wait()
        child.closeDescriptors()
        return CommandRun(status: status, stdout: String(decoding: stdoutBytes, as: UTF8.self),
                          stderr: String(decoding: stderrBytes, as: UTF8.self))
    }

    /// Reads a descriptor to its end on a thread of its own.
    // Unchecked: `bytes` is written by the thread before it opens `done`, and read only after `wait`.
    private final class Drain: @unchecked Sendable {
        private var bytes: [UInt8] = []
        private let done = Latch()

        init(_ fd: FileDescriptor) {
            Thread.detachNewThread { [self] in
                bytes = readToEnd(fd)
                done.open()
            }
        }

        func wait() -> [UInt8] {
            done.wait()
            return bytes
        }
    }

    private static func readToEnd(_ fd: FileDescriptor) -> [UInt8] {
        var output: [UInt8] = []
        while let chunk = try? fd.readAvailable(), !chunk.isEmpty { output += chunk }
        return output
    }
}
