import Shared

// The `d` objects of the gateway dispatches PrivateChat writes to the outbox (``ChatEvents``), written with
// ``JSONWriter`` as the REST answers are. `MESSAGE_CREATE` carries a ``MessageOutput`` and `CHAT_CREATE` a
// ``ChatListItem``: the very objects the message page and the chat list answer.

/// `CHAT_MEMBER_ADD`: `{"chat_id", "member"}`, the member as the chat's info lists them.
struct MemberAddedOutput: JSONWritable {
    var chatID: Int64
    var member: MemberOutput

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("chat_id", chatID)
            object.field("member", member)
        }
    }
}

/// `CHAT_MEMBER_REMOVE`: `{"chat_id", "user_id"}`, for a removed member or one who left.
struct MemberRemovedOutput: JSONWritable {
    var chatID: Int64
    var userID: Int64

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("chat_id", chatID)
            object.field("user_id", userID)
        }
    }
}

/// `CHAT_UPDATE`: a group's title, owner and members' roles after a change (`{"id", "chat_id", "type",
/// "title", "owner_id", "members": [{"id", "role"}]}`, members oldest first as `info` lists them).
struct ChatUpdatedOutput: JSONWritable {
    var chatID: Int64
    var kind: ChatKind
    var title: String?
    var members: [(id: Int64, role: ChatRole)]

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", chatID)
            object.field("chat_id", chatID)
            object.field("type", kind.rawValue)
            object.field("title", title)
            object.field("owner_id", members.first { $0.role == .owner }?.id)
            object.field("members", Roles(members: members))
        }
    }

    /// The `[{"id", "role"}]` array.
    struct Roles: JSONWritable {
        var members: [(id: Int64, role: ChatRole)]

        func write(to writer: inout JSONWriter) {
            writer.array(members) { writer, member in
                writer.object { object in
                    object.field("id", member.id)
                    object.field("role", member.role.rawValue)
                }
            }
        }
    }
}

/// `CHAT_DELETE`: `{"id", "chat_id"}` of a deleted chat.
struct ChatDeletedOutput: JSONWritable {
    var chatID: Int64

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", chatID)
            object.field("chat_id", chatID)
        }
    }
}

/// `READ_STATE_UPDATE`: `{"chat_id", "user_id", "last_read_message_id"}`, a member's marker that moved.
struct ReadStateOutput: JSONWritable {
    var chatID: Int64
    var userID: Int64
    var lastReadMessageID: Int64

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("chat_id", chatID)
            object.field("user_id", userID)
            object.field("last_read_message_id", lastReadMessageID)
        }
    }
}
