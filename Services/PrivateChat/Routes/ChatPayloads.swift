import Foundation
import HTTPTypes
import Hummingbird
import Shared

/// Body of `POST /private/start-chat/`.
struct StartChatInput: Decodable {
    var recipientID: Int64
    var text: String?

    enum CodingKeys: String, CodingKey {
        case recipientID = "recipient_id"
        case text
    }
}

/// Answer of `POST /private/start-chat/`.
struct StartChatOutput: Encodable {
    var chatID: Int64
    /// Whether this call created the chat (`false`: it existed and its id is returned).
    var created: Bool

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case created
    }
}

/// Body of `POST /private/add-message/{chat_id}/`.
struct AddMessageInput: Decodable {
    var text: String
    var messageAnswerID: Int64?
    /// The client's id of this send (1-64 printable ASCII characters): a retry with the same nonce stores
    /// nothing and answers the first message's id.
    var nonce: String?

    enum CodingKeys: String, CodingKey {
        case text, nonce
        case messageAnswerID = "message_answer_id"
    }
}

/// Answer of `POST /private/add-message/{chat_id}/`: the seed's detail plus the new message's id. Written by
/// ``JSONWriter``, so a retried nonce gets the very bytes of the first answer.
struct AddMessageOutput: JSONWritable {
    var detail = "Success add."
    var id: Int64

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("detail", detail)
            object.field("id", id)
        }
    }

    func response() -> Response {
        var writer = JSONWriter(capacity: 64)
        write(to: &writer)
        return writer.response()
    }
}

/// One message as the seed lists it, written with ``JSONWriter`` (the only serializer of a message list;
/// the tests read the same bytes clients do).
struct MessageOutput: JSONWritable {
    var id: Int64
    var text: String
    var answer: Int64?
    var chatID: Int64
    var messageOwner: UserSummary
    var createdAt: Date

    var type: String
    var data: String?
    var editedAt: Date?

    init(_ message: Message, owner: UserSummary) {
        id = message.id
        text = message.text
        answer = message.answerID
        chatID = message.chatID
        messageOwner = owner
        createdAt = message.createdAt
        type = message.type
        data = message.data
        editedAt = message.editedAt
    }

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", id)
            object.field("text", text)
            object.field("answer", answer)
            object.field("chat_id", chatID)
            object.field("message_owner", messageOwner)
            object.field("created_at", timestamp: createdAt)
            object.field("type", type)
            object.field("data", rawJSON: data)
            object.field("edited_at", timestamp: editedAt)
        }
    }
}

/// Answer of `GET /private/{chat_id}/info/` for a private chat: seed 003's shape plus `type` and the
/// members with their read markers.
struct ChatInfoOutput: Encodable {
    var id: Int64
    var type = ChatKind.private.rawValue
    var chatStarter: UserSummary
    var chatRecipient: UserSummary
    var members: [MemberOutput]

    enum CodingKeys: String, CodingKey {
        case id, type, members
        case chatStarter = "chat_starter"
        case chatRecipient = "chat_recipient"
    }
}

/// Answer of `GET /private/{chat_id}/info/` for a group, and of the calls that create or change one
/// (`chat_id` is the `id` again, for `POST /private/groups/`).
struct GroupInfoOutput: Encodable {
    var id: Int64
    var chatID: Int64
    var type = ChatKind.group.rawValue
    var title: String
    var owner: UserSummary?
    var members: [MemberOutput]
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, type, title, owner, members
        case chatID = "chat_id"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(chatID, forKey: .chatID)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(owner, forKey: .owner)
        try container.encode(members, forKey: .members)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// A member in a chat's info: the user's summary, presence, role and read marker (also the `member` of a
/// `CHAT_MEMBER_ADD` event, written by ``JSONWriter`` with the same members in the same order, without
/// presence).
struct MemberOutput: Encodable, JSONWritable {
    var summary: UserSummary
    var role: String
    var lastReadMessageID: Int64
    /// `is_online` and `last_online_at`, in a chat's info. `nil` in a `CHAT_MEMBER_ADD` event: a stored
    /// event is replayed later, and a presence in it would be stale (`PRESENCE_UPDATE` carries it live).
    var presence: PublicUser?

    enum CodingKeys: String, CodingKey {
        case id, username, role
        case avatarURL = "avatar_url"
        case lastReadMessageID = "last_read_message_id"
        case isOnline = "is_online"
        case lastOnlineAt = "last_online_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(summary.id, forKey: .id)
        try container.encode(summary.username, forKey: .username)
        try container.encode(summary.avatarURL, forKey: .avatarURL)
        try container.encode(role, forKey: .role)
        try container.encode(lastReadMessageID, forKey: .lastReadMessageID)
        if let presence {
            try container.encode(presence.isOnline, forKey: .isOnline)
            try container.encode(presence.lastOnlineAt, forKey: .lastOnlineAt)
        }
    }

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", summary.id)
            object.field("username", summary.username)
            object.field("avatar_url", summary.avatarURL)
            object.field("role", role)
            object.field("last_read_message_id", lastReadMessageID)
            if let presence {
                object.field("is_online", presence.isOnline)
                object.field("last_online_at", presence.lastOnlineAt)
            }
        }
    }
}

/// Body of `POST /private/groups/`.
struct CreateGroupInput: Decodable {
    var title: String
    var memberIDs: [Int64]

    enum CodingKeys: String, CodingKey {
        case title
        case memberIDs = "member_ids"
    }
}

/// Body of `PATCH /private/{chat_id}/`.
struct RenameInput: Decodable {
    var title: String
}

/// Body of `PATCH /private/{chat_id}/members/{user_id}/`.
struct RoleInput: Decodable {
    var role: String
}

/// One chat of `GET /private/chat-list/`: seed 003's `{"id"}` and what a client needs to draw the row.
struct ChatListItem: JSONWritable {
    var chat: ChatSummary
    var peer: UserSummary?
    var lastMessage: MessageOutput?

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", chat.id)
            object.field("type", chat.kind.rawValue)
            object.field("title", chat.title)
            if let peer { object.field("peer", peer) } else { object.field("peer", String?.none) }
            object.field("member_count", chat.memberCount)
            if let lastMessage {
                object.field("last_message", lastMessage)
            } else {
                object.field("last_message", String?.none)
            }
            object.field("unread_count", chat.unreadCount)
            object.field("mention_count", chat.mentionCount)
            object.field("last_activity_at", chat.lastActivityAt)
        }
    }
}

/// Headers of the PrivateChat answers.
enum ChatHeaders {
    /// Whether a page of messages or chats has a next one (`true`/`false`).
    static let hasMore = HTTPField.Name("X-Has-More")!
}

/// Body of `POST /private/{chat_id}/read/`.
struct MarkReadInput: Decodable {
    var messageID: Int64

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
    }
}

/// Answer of `POST /private/{chat_id}/read/` and `.../read-all/`: the caller's marker now.
struct ReadMarkerOutput: Encodable {
    var chatID: Int64
    var lastReadMessageID: Int64

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case lastReadMessageID = "last_read_message_id"
    }
}

extension UserSummary {
    /// Stand-in for a user whose profile no longer exists.
    static func missing(_ id: Int64) -> UserSummary {
        UserSummary(id: id, username: "deleted user", avatarURL: nil)
    }
}
