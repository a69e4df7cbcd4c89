import Testing
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

@Suite struct PipeTests {
    @Test func bothEndsOfAPipeAreCloseOnExec() throws {
        let (readEnd, writeEnd) = try FileDescriptor.pipe(options: .closeOnExec)
        defer { try? readEnd.close(); try? writeEnd.close() }
        #expect(fcntl(readEnd.rawValue, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(writeEnd.rawValue, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func readAvailableReturnsWhatWasWrittenThenEndOfFile() throws {
        let (readEnd, writeEnd) = try FileDescriptor.pipe(options: .closeOnExec)
        defer { try? readEnd.close() }
        try writeEnd.writeAll(Array("hello".utf8))
        try writeEnd.close()
        #expect(try readEnd.readAvailable() == Array("hello".utf8))
        #expect(try readEnd.readAvailable().isEmpty)
    }

    @Test func readAvailableStopsAtItsLimit() throws {
        let (readEnd, writeEnd) = try FileDescriptor.pipe(options: .closeOnExec)
        defer { try? readEnd.close(); try? writeEnd.close() }
        try writeEnd.writeAll(Array("abcdef".utf8))
        #expect(try readEnd.readAvailable(upTo: 4) == Array("abcd".utf8))
        #expect(try readEnd.readAvailable(upTo: 4) == Array("ef".utf8))
    }

    @Test func writingToAPipeWithoutAReaderFailsWithEPIPE() throws {
        // Without this, the write would kill the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let (readEnd, writeEnd) = try FileDescriptor.pipe(options: .closeOnExec)
        defer { try? writeEnd.close() }
        try readEnd.close()
        #expect(throws: Errno.brokenPipe) { try writeEnd.writeAll(Array("lost".utf8)) }
    }

    @Test func aNonBlockingPipeReadsEAGAINWhenEmpty() throws {
        let (readEnd, writeEnd) = try FileDescriptor.pipe(options: [.closeOnExec, .nonBlocking])
        defer { try? readEnd.close(); try? writeEnd.close() }
        #expect(fcntl(readEnd.rawValue, F_GETFL) & O_NONBLOCK != 0)
        #expect(throws: Errno.wouldBlock) { try readEnd.readAvailable() }
    }

    @Test func waitingForAnEmptyPipeTimesOutAndAWrittenOneIsReadable() throws {
        let (readEnd, writeEnd) = try FileDescriptor.pipe(options: .closeOnExec)
        defer { try? readEnd.close(); try? writeEnd.close() }
        #expect(try !readEnd.waitUntilReadable(timeout: .milliseconds(10)))
        try writeEnd.writeAll([1])
        #expect(try readEnd.waitUntilReadable(timeout: nil))
    }
}
