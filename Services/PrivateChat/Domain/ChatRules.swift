/// Rules of chats and messages that need no I/O.
public enum ChatRules {
    /// Message text length in characters.
    public static let textLength = 1...4000
    /// Page size of message lists.
    public static let limitRange = 1...100
    /// Page size when the client gives none.
    public static let defaultLimit = 50

    /// Checks message text: 1-4000 characters, not only whitespace.
    /// - Throws: ``ChatError/invalidText(maxLength:)``.
    public static func validate(text: String) throws {
        guard textLength.contains(text.count), text.contains(where: { !$0.isWhitespace }) else {
            throw ChatError.invalidText(maxLength: textLength.upperBound)
        }
    }

    /// Parses a chat id from a path segment: a positive integer.
    public static func chatID(from text: String?) throws -> Int64 {
        guard let text, let id = Int64(text), id > 0 else { throw ChatError.invalidChatID }
        return id
    }

    /// Parses `limit` and `offset` query values, applying the default limit.
    public static func page(limit: String?, offset: String?) throws -> (limit: Int, offset: Int) {
        var pageLimit = defaultLimit
        if let limit {
            guard let value = Int(limit), limitRange.contains(value) else {
                throw ChatError.invalidLimit(range: limitRange)
            }
            pageLimit = value
        }
        var pageOffset = 0
        if let offset {
            guard let value = Int(offset), value >= 0 else { throw ChatError.invalidOffset }
            pageOffset = value
        }
        return (pageLimit, pageOffset)
    }
}
