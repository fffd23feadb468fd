/// Which messages a page of `GET /private/{chat_id}/messages` holds: by `offset` (seed 003), or by a
/// cursor, a message id the page is `before`, `after` or `around`. Pages are listed newest first.
public enum MessagePageQuery: Sendable, Equatable {
    case offset(Int)
    case before(Int64)
    case after(Int64)
    case around(Int64)

    /// The page a request asks for: at most one of `offset`, `before`, `after` and `around`.
    /// - Throws: ``ChatError/invalidOffset``, ``ChatError/invalidCursor`` or ``ChatError/conflictingCursors``.
    public static func parse(offset: String?, before: String?, after: String?, around: String?) throws -> Self {
        let given = [offset, before, after, around].compactMap { $0 }
        guard given.count <= 1 else { throw ChatError.conflictingCursors }
        if let offset {
            guard let value = Int(offset), value >= 0 else { throw ChatError.invalidOffset }
            return .offset(value)
        }
        func id(_ text: String, _ name: String) throws -> Int64 {
            guard let value = Int64(text), value >= 0 else { throw ChatError.invalidCursor(name) }
            return value
        }
        if let before { return .before(try id(before, "before")) }
        if let after { return .after(try id(after, "after")) }
        if let around { return .around(try id(around, "around")) }
        return .offset(0)
    }
}

/// A position in a user's chat list: the `last_activity_at` and id of the last chat of a page.
public struct ChatListCursor: Sendable, Equatable {
    /// The time as the list spells it (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), passed to PostgreSQL as text.
    public var lastActivityAt: String
    public var id: Int64

    /// The cursor of `before` and `before_id`, both or neither.
    /// - Throws: ``ChatError/invalidListCursor`` when one is missing or malformed.
    public static func parse(before: String?, beforeID: String?) throws -> ChatListCursor? {
        guard before != nil || beforeID != nil else { return nil }
        guard let before, let beforeID, let id = Int64(beforeID), id > 0, isTimestamp(before) else {
            throw ChatError.invalidListCursor
        }
        return ChatListCursor(lastActivityAt: before, id: id)
    }

    /// Whether `text` is `YYYY-MM-DDTHH:MM:SS` with an optional fraction of 1-6 digits and `Z`.
    static func isTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 27, bytes.last == UInt8(ascii: "Z") else { return false }
        let pattern = Array("dddd-dd-ddTdd:dd:dd".utf8)
        for (index, expected) in pattern.enumerated() {
            let byte = bytes[index]
            if expected == UInt8(ascii: "d") {
                guard (0x30...0x39).contains(byte) else { return false }
            } else if byte != expected {
                return false
            }
        }
        let rest = bytes[pattern.count..<(bytes.count - 1)]
        guard !rest.isEmpty else { return true }
        guard rest.first == UInt8(ascii: "."), rest.count >= 2 else { return false }
        return rest.dropFirst().allSatisfy { (0x30...0x39).contains($0) }
    }
}
