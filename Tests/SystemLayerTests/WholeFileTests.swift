import Foundation
import Testing
import SystemLayer
import SystemPackage

@Suite struct WholeFileTests {
    @Test func aFileLargerThanOneReadComesBackWhole() throws {
        let path = NSTemporaryDirectory() + "systemlayer-\(UUID().uuidString)"
        let contents = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        try Data(contents).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FileDescriptor.readWholeFile(at: FilePath(path)) == contents)
    }

    @Test func aProcFileReadsWhole() throws {
        let text = String(decoding: try FileDescriptor.readWholeFile(at: "/proc/self/status"), as: UTF8.self)
        #expect(text.hasPrefix("Name:"))
    }

    @Test func aMissingFileIsENOENT() {
        #expect(throws: Errno.noSuchFileOrDirectory) { try FileDescriptor.readWholeFile(at: "/nonexistent/file") }
    }
}
