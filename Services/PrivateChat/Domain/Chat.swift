import Foundation

/// A conversation: a private chat between two users (seed 003) or a group.
public struct Chat: Sendable, Equatable {
    public var id: Int64
    public var kind: ChatKind
    /// The user who started it (a group's creator).
    public var starterID: Int64
    /// The other member of a private chat; `nil` for a group.
    public var recipientID: Int64?
    /// A group's title; `nil` for a private chat.
    public var title: String?
    public var createdAt: Date

    public init(
        id: Int64,
        kind: ChatKind = .private,
        starterID: Int64,
        recipientID: Int64?,
        title: String? = nil,
        createdAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.kind = kind
        self.starterID = starterID
        self.recipientID = recipientID
        self.title = title
        self.createdAt = createdAt
    }
}

/// What kind of conversation a chat is.
public enum ChatKind: String, Sendable, Equatable {
    case `private`, group
}

/// A member's role in a group; both members of a private chat are `member`s.
public enum ChatRole: String, Sendable, Equatable, CaseIterable {
    case owner, admin, member
}

/// A member of a chat.
public struct ChatMember: Sendable, Equatable {
    public var userID: Int64
    public var role: ChatRole
    /// The newest message the member has read (0: none).
    public var lastReadMessageID: Int64
    public var joinedAt: Date

    public init(userID: Int64, role: ChatRole, lastReadMessageID: Int64, joinedAt: Date) {
        self.userID = userID
        self.role = role
        self.lastReadMessageID = lastReadMessageID
        self.joinedAt = joinedAt
    }
}
