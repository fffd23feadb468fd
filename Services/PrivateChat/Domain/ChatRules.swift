/// Rules of chats and messages that need no I/O.
public enum ChatRules {
    /// Message text length in characters.
    public static let textLength = 1...4000
    /// Page size of message lists.
    public static let limitRange = 1...100
    /// Page size when the client gives none.
    public static let defaultLimit = 50
    /// Page size of the chat list, and its default.
    public static let chatListLimitRange = 1...200
    public static let defaultChatListLimit = 100

    /// Parses a page's `limit`: `fallback` when absent, else an integer in `range`.
    /// - Throws: ``ChatError/invalidLimit(range:)``.
    public static func limit(_ text: String?, in range: ClosedRange<Int>, fallback: Int) throws -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), range.contains(value) else { throw ChatError.invalidLimit(range: range) }
        return value
    }

    /// Checks message text: 1-4000 characters, not only whitespace.
    /// - Throws: ``ChatError/invalidText(maxLength:)``.
    public static func validate(text: String) throws {
        guard textLength.contains(text.count), text.contains(where: { !$0.isWhitespace }) else {
            throw ChatError.invalidText(maxLength: textLength.upperBound)
        }
    }

    /// Length of a message's `nonce`.
    public static let nonceLength = 1...64

    /// Checks a message's `nonce`: 1-64 printable ASCII characters (space to `~`).
    /// - Throws: ``ChatError/invalidNonce(maxLength:)``.
    public static func validate(nonce: String) throws {
        guard nonceLength.contains(nonce.utf8.count), nonce.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw ChatError.invalidNonce(maxLength: nonceLength.upperBound)
        }
    }

    /// Parses a chat id from a path segment: a positive integer.
    public static func chatID(from text: String?) throws -> Int64 {
        guard let text, let id = Int64(text), id > 0 else { throw ChatError.invalidChatID }
        return id
    }
}
