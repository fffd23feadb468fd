import Foundation
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

    enum CodingKeys: String, CodingKey {
        case text
        case messageAnswerID = "message_answer_id"
    }
}

/// Answer of `POST /private/add-message/{chat_id}/`: the seed's detail plus the new message's id.
struct AddMessageOutput: Encodable {
    var detail = "Success add."
    var id: Int64
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

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", id)
            object.field("text", text)
            object.field("answer", answer)
            object.field("chat_id", chatID)
            object.field("message_owner", messageOwner)
            object.field("created_at", timestamp: createdAt)
        }
    }
}

/// Answer of `GET /private/{chat_id}/info/`.
struct ChatInfoOutput: Encodable {
    var id: Int64
    var chatStarter: UserSummary
    var chatRecipient: UserSummary

    enum CodingKeys: String, CodingKey {
        case id
        case chatStarter = "chat_starter"
        case chatRecipient = "chat_recipient"
    }
}

/// One entry of `GET /private/chat-list/`.
struct ChatListEntry: JSONWritable {
    var id: Int64

    func write(to writer: inout JSONWriter) {
        writer.object { $0.field("id", id) }
    }
}

extension UserSummary {
    /// Stand-in for a user whose profile no longer exists.
    static func missing(_ id: Int64) -> UserSummary {
        UserSummary(id: id, username: "deleted user", avatarURL: nil)
    }
}
