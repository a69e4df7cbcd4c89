import CSandbox
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
    let stdin: (read: Int32, write: Int32)
    let stdout: (read: Int32, write: Int32)
    let stderr: (read: Int32, write: Int32)
    let command: (read: Int32, write: Int32)

    init() throws(SandboxError) {
        stdin = try Descriptor.pipe()
        stdout = try Descriptor.pipe()
        stderr = try Descriptor.pipe()
        command = try Descriptor.pipe()
    }

    var childStdio: csb_stdio {
        csb_stdio(stdin_fd: stdin.read, stdout_fd: stdout.write, stderr_fd: stderr.write, command_fd: command.read)
    }

    func closeChildEnds() {
        for fd in [stdin.read, stdout.write, stderr.write, command.read] { Descriptor.close(fd) }
    }

    func closeParentEnds() {
        for fd in [stdin.write, stdout.read, stderr.read, command.write] { Descriptor.close(fd) }
    }

    func process(pid: pid_t) -> ChildProcess {
        ChildProcess(pid: pid, stdinFD: stdin.write, stdoutFD: stdout.read, stderrFD: stderr.read, commandFD: command.write)
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
