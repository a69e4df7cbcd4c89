/// Reading `{-# KEYWORD ... #-}` pragmas.
enum Pragma {
    /// Pragmas that configure the whole session rather than a declaration next to them.
    static let sessionKeywords: Set<String> = ["LANGUAGE", "OPTIONS_GHC", "OPTIONS", "OPTIONS_HADDOCK", "INCLUDE"]

    /// The words inside the braces: `{-# LANGUAGE A, B #-}` gives `["LANGUAGE", "A", "B"]`.
    static func words(_ pragma: String) -> [String] {
        var body = Substring(pragma)
        if body.hasPrefix("{-#") { body = body.dropFirst(3) }
        if body.hasSuffix("#-}") { body = body.dropLast(3) }
        return body.split { $0.isWhitespace || $0 == "," }.map(String.init)
    }

    /// The pragma's keyword, upper-cased because GHC accepts `{-# language X #-}`.
    static func keyword(_ pragma: String) -> String { words(pragma).first?.uppercased() ?? "" }

    static func isSessionPragma(_ pragma: String) -> Bool { sessionKeywords.contains(keyword(pragma)) }

    static func languageExtensions(_ pragma: String) -> [String] {
        keyword(pragma) == "LANGUAGE" ? Array(words(pragma).dropFirst()) : []
    }
}
