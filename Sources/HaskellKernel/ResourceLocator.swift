import Foundation

/// Finds ghcbox's data folders (`kernelspec/`, `sandbox/`): an explicit path,
/// `$GHCBOX_DATA_DIR/<folder>`, beside the binary (`../share/ghcbox/<folder>`), or the source tree.
public enum ResourceLocator {
    public static func find(_ folder: String, containing file: String, explicit: String? = nil) throws -> String {
        let binaryDir = ((try? executablePath()) as NSString?)?.deletingLastPathComponent ?? "."
        let sourceTree = (((#filePath as NSString).deletingLastPathComponent as NSString)
            .deletingLastPathComponent as NSString).deletingLastPathComponent + "/" + folder
        let candidates = [
            explicit,
            ProcessInfo.processInfo.environment["GHCBOX_DATA_DIR"].map { $0 + "/" + folder },
            binaryDir + "/../share/ghcbox/" + folder,
            sourceTree,
        ].compactMap { $0 }
        for dir in candidates where FileManager.default.fileExists(atPath: dir + "/" + file) {
            return (dir as NSString).standardizingPath
        }
        throw ResourceMissing(folder: folder, file: file, searched: candidates)
    }

    public static func executablePath() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}

public struct ResourceMissing: Error, CustomStringConvertible {
    let folder: String
    let file: String
    let searched: [String]
    public var description: String {
        "\(folder)/\(file) not found (looked in \(searched.joined(separator: ", "))); set GHCBOX_DATA_DIR to the folder holding \(folder)/"
    }
}
