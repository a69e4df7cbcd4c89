import JSONValue

/// The `header` of a Jupyter message.
public struct MessageHeader: Sendable, Equatable {
    public var msgID: String
    public var session: String
    public var username: String
    /// ISO 8601 with time zone, as sent; kept as text because it is only echoed back.
    public var date: String
    public var msgType: String
    public var version: String
    /// Fields this type does not model (e.g. `subshell_id`), kept so that echoing a request's
    /// header as a reply's `parent_header` loses nothing.
    public var extraFields: [String: JSON]

    public init(
        msgID: String, session: String, username: String, date: String, msgType: String, version: String,
        extraFields: [String: JSON] = [:]
    ) {
        self.msgID = msgID
        self.session = session
        self.username = username
        self.date = date
        self.msgType = msgType
        self.version = version
        self.extraFields = extraFields
    }

    /// Reads a header object; `msg_id` and `msg_type` are required, the other known fields default to "".
    public init(json: JSON) throws(WireError) {
        guard var fields = json.objectValue else {
            throw WireError(.missingHeaderField, "header is not a JSON object")
        }
        guard let msgID = fields.removeValue(forKey: Self.msgIDKey)?.stringValue else {
            throw WireError(.missingHeaderField, "header has no string \"msg_id\"")
        }
        guard let msgType = fields.removeValue(forKey: Self.msgTypeKey)?.stringValue else {
            throw WireError(.missingHeaderField, "header has no string \"msg_type\"")
        }
        func take(_ key: String) -> String {
            // A non-string value stays in extraFields rather than being dropped.
            if let text = fields[key]?.stringValue {
                fields.removeValue(forKey: key)
                return text
            }
            return ""
        }
        self.init(
            msgID: msgID, session: take(Self.sessionKey), username: take(Self.usernameKey),
            date: take(Self.dateKey), msgType: msgType, version: take(Self.versionKey),
            extraFields: fields
        )
    }

    /// The wire form: msg_id, session, username, date, msg_type, version, plus any extra fields.
    public var json: JSON {
        var fields = extraFields
        fields[Self.msgIDKey] = .string(msgID)
        fields[Self.sessionKey] = .string(session)
        fields[Self.usernameKey] = .string(username)
        fields[Self.dateKey] = .string(date)
        fields[Self.msgTypeKey] = .string(msgType)
        fields[Self.versionKey] = .string(version)
        return .object(fields)
    }

    private static let msgIDKey = "msg_id"
    private static let sessionKey = "session"
    private static let usernameKey = "username"
    private static let dateKey = "date"
    private static let msgTypeKey = "msg_type"
    private static let versionKey = "version"
}
