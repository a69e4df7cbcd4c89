import JSONValue

/// What `kernel_info_reply` says about the language; the kernel adds the protocol's own fields.
public struct InterpreterInfo: Sendable {
    public var implementation: String
    public var implementationVersion: String
    /// The reply's `language_info` object (name, version, mimetype, file_extension, ...).
    public var languageInfo: [String: JSON]
    public var banner: String
    /// The reply's `help_links`: (text, url) pairs.
    public var helpLinks: [(text: String, url: String)]

    public init(implementation: String, implementationVersion: String, languageInfo: [String: JSON], banner: String,
                helpLinks: [(text: String, url: String)] = []) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.languageInfo = languageInfo
        self.banner = banner
        self.helpLinks = helpLinks
    }
}
