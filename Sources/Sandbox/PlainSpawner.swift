import CSandbox
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Starts a child without a jail (development, `--no-sandbox`), through `csb_spawn_plain`.
public enum PlainSpawner {
    public static func spawn(
        executable: String, arguments: [String], environment: [String: String]
    ) throws(SandboxError) -> ChildProcess {
        let pipes = try ChildPipes()
        var stdio = pipes.childStdio
        var pid: pid_t = 0
        let err = withCStrings([executable] + arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                csb_spawn_plain(executable, argv, envp, &stdio, &pid)
            }
        }
        pipes.closeChildEnds()
        guard err == 0 else {
            pipes.closeParentEnds()
            throw SandboxError(.spawn, errno: err, detail: executable)
        }
        return pipes.process(pid: pid)
    }
}

/// The four pipes between the kernel and a session: stdin, stdout, stderr and the command channel.
struct ChildPipes {
    typealias Pipe = (readEnd: FileDescriptor, writeEnd: FileDescriptor)
    let stdin: Pipe
    let stdout: Pipe
    let stderr: Pipe
    let command: Pipe

    /// Close-on-exec from the start (pipe2), so a child spawned by another thread meanwhile
    /// inherits none of them.
    init() throws(SandboxError) {
        var made: [Pipe] = []
        do {
            for _ in 0..<4 { made.append(try FileDescriptor.pipe(options: .closeOnExec)) }
        } catch {
            for pipe in made { try? pipe.readEnd.close(); try? pipe.writeEnd.close() }
            throw SandboxError(.pipe, errno: error.rawValue)
        }
        (stdin, stdout, stderr, command) = (made[0], made[1], made[2], made[3])
    }

    var childStdio: csb_stdio {
        csb_stdio(stdin_fd: stdin.readEnd.rawValue, stdout_fd: stdout.writeEnd.rawValue,
                  stderr_fd: stderr.writeEnd.rawValue, command_fd: command.readEnd.rawValue)
    }

    func closeChildEnds() {
        for fd in [stdin.readEnd, stdout.writeEnd, stderr.writeEnd, command.readEnd] { try? fd.close() }
    }

    func closeParentEnds() {
        for fd in [stdin.writeEnd, stdout.readEnd, stderr.readEnd, command.writeEnd] { try? fd.close() }
    }

    func process(pid: pid_t, rootFD: FileDescriptor? = nil) -> ChildProcess {
        ChildProcess(pid: pid, stdinFD: stdin.writeEnd, stdoutFD: stdout.readEnd, stderrFD: stderr.readEnd,
                     commandFD: command.writeEnd, rootFD: rootFD)
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
