/// The first line of an HTTP/1.x request, which is all the metrics server needs.
struct HTTPRequestLine: Equatable, Sendable {
    let method: String
    /// The target without its query string.
    let path: String

    /// Parses `METHOD SP target SP HTTP/1.x`; nil for anything else.
    init?(_ head: [UInt8]) {
        let end = head.firstIndex(of: UInt8(ascii: "\n")) ?? head.endIndex
        var line = head[..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].first == UInt8(ascii: "/") else { return nil }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.0" || version == "HTTP/1.1" else { return nil }
        method = String(decoding: parts[0], as: UTF8.self)
        let target = parts[1]
        let query = target.firstIndex(of: UInt8(ascii: "?")) ?? target.endIndex
        path = String(decoding: target[..<query], as: UTF8.self)
    }

    /// Whether `bytes` hold a whole request head (ended by an empty line).
    static func headIsComplete(_ bytes: [UInt8]) -> Bool {
        let crlf: [UInt8] = [13, 10, 13, 10]
        let lf: [UInt8] = [10, 10]
        return contains(bytes, crlf) || contains(bytes, lf)
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}
