import CGatewayLauncher

/// A libcrypto step that failed, with the reason libcrypto queued for it.
func cryptoFailure(_ what: String) -> LauncherError {
    var reasons: [String] = []
    while case let code = ERR_get_error(), code != 0 {
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return LauncherError(.crypto, reasons.isEmpty ? "cannot \(what)" : "cannot \(what): \(reasons.joined(separator: "; "))")
}

/// Runs a libcrypto call that returns 1 (or more) on success.
func cryptoCall(_ what: String, _ body: () -> Int32) throws(LauncherError) {
    guard body() > 0 else { throw cryptoFailure(what) }
}
