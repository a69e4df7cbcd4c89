/// The per-session secret that frames everything the runtime itself prints
/// (end-of-chunk markers, expression results, input requests): text a cell prints
/// is not a frame unless it has the nonce. A cell can still call the runtime's
/// printing functions, which are in its scope, so done frames also carry a token per
/// chunk (`chunkToken`) that only GHCi's command queue holds.
public struct SessionTag: Sendable, Equatable {
    /// 32 hex digits.
    public let nonce: String

    public init(nonce: String) { self.nonce = nonce }

    public static func random() -> SessionTag {
        SessionTag(nonce: randomHex(words: 2))
    }

    /// A fresh token for one chunk's done frame (16 hex digits).
    public static func chunkToken() -> String {
        randomHex(words: 1)
    }

    /// 16 hex digits per 64-bit word. SystemRandomNumberGenerator reads getrandom(2) on Linux: unguessable.
    private static func randomHex(words: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<words).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }

    /// Every runtime frame starts with ASCII RS and the nonce, e.g. "\u{1e}<nonce>:done".
    public var prefix: String { "\u{1e}\(nonce):" }
    /// Haskell spelling of `prefix` for string literals in the boot script.
    var haskellPrefix: String { "\\RS\(nonce):" }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
