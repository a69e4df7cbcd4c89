import JSONValue

/// What the kernel tells clients about Haskell: `language_info` and the help menu's links.
enum HaskellLanguage {
    static func languageInfo(ghcVersion: String) -> [String: JSON] {
        [
            "name": "haskell",
            "version": .string(ghcVersion),
            "mimetype": "text/x-haskell",
            "file_extension": ".hs",
            "pygments_lexer": "haskell",
            "codemirror_mode": "haskell",
        ]
    }

    static let helpLinks: [(text: String, url: String)] = [
        ("GHC User's Guide", "https://downloads.haskell.org/ghc/latest/docs/users_guide/"),
        ("Hackage", "https://hackage.haskell.org/"),
    ]
}
