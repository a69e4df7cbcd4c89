import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

@Suite(.serialized) struct ScratchWiperTests {
    @Test func wipeEmptiesScratchAndTmpWithoutFollowingLinks() throws {
        var template = Array("/tmp/ghcbox-wipe-XXXXXX".utf8CString)
        let hostDir = String(cString: mkdtemp(&template)!)
        let hostFile = hostDir + "/must-survive"
        close(open(hostFile, O_CREAT | O_WRONLY, 0o644))
        defer { unlink(hostFile); rmdir(hostDir) }

        let deep = (0..<100).map { _ in "d" }.joined(separator: "/")
        let child = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/bin/sh", arguments: ["-c", """
            mkdir -p /scratch/a/b/c /scratch/\(deep) && echo x > /scratch/a/b/c/f && echo y > /scratch/\(deep)/f
            ln -s \(hostFile) /scratch/hostlink; ln -s / /scratch/rootlink; ln -s /scratch/a /tmp/alink
            touch /scratch/.hidden /tmp/t "$(printf '/scratch/bad\\377name')"
            chmod 0 /scratch/a/b
            echo ready; exec sleep 60
            """])
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        #expect(collect(child) { $0.stdout.contains("ready") }.stdout == "ready\n")

        let removed = try ScratchWiper(process: child).wipe()
        #expect(removed >= 110)
        #expect(listing("/proc/\(child.pid)/root/scratch").isEmpty)
        #expect(listing("/proc/\(child.pid)/root/tmp").isEmpty)
        #expect(access(hostFile, F_OK) == 0)
        #expect(access("/proc/\(child.pid)/root/usr/bin/ghc", F_OK) == 0)
    }

    @Test func wipeKeepsNamedEntries() throws {
        let child = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/bin/sh", arguments: ["-c", """
            mkdir /scratch/.session && touch /scratch/.session/x /scratch/gone && echo ready && exec sleep 60
            """])
        defer { child.signal(SIGKILL); child.wait(); child.closeDescriptors() }
        #expect(collect(child) { $0.stdout.contains("ready") }.stdout == "ready\n")
        try ScratchWiper(process: child, keep: [".session"]).wipe()
        #expect(listing("/proc/\(child.pid)/root/scratch") == [".session"])
    }

    @Test func wipeRefusesAReapedJail() throws {
        let child = try JailSpawner.spawn(spec: try defaultSpec(), executable: "/bin/true", arguments: [])
        child.wait()
        child.closeDescriptors()
        #expect(throws: SandboxError.self) { try ScratchWiper(process: child).wipe() }
    }
}

func listing(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return ["<cannot open \(path)>"] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}
