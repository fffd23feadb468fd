import Shared

/// A change to a group, recorded as a system message: its `type`, a readable English sentence as its
/// `text`, and the structured facts as its `data` (user ids and the title or role involved).
public struct SystemEvent: Sendable, Equatable {
    /// The message `type`.
    public enum Kind: String, Sendable, CaseIterable {
        case groupCreate = "group_create"
        case memberAdd = "member_add"
        case memberRemove = "member_remove"
        case memberLeave = "member_leave"
        case titleChange = "title_change"
        case ownerChange = "owner_change"
        case roleChange = "role_change"
    }

    public var kind: Kind
    public var text: String
    /// `data` as JSON object text, written by ``JSONWriter`` (which escapes the titles).
    public var data: String

    /// A user as a system message names them.
    public typealias User = (id: Int64, name: String)

    init(_ kind: Kind, _ text: String, data: (inout JSONWriter) -> Void) {
        self.kind = kind
        self.text = text
        var writer = JSONWriter(capacity: 128)
        writer.object(data)
        self.data = writer.text
    }

    public static func groupCreated(by actor: User, title: String, members: [Int64]) -> Self {
        SystemEvent(.groupCreate, "\(actor.name) created the group \u{201C}\(title)\u{201D}") { data in
            data.field("actor_id", actor.id)
            data.field("title", title)
            data.field("member_ids", members)
        }
    }

    public static func memberAdded(_ user: User, by actor: User) -> Self {
        SystemEvent(.memberAdd, "\(actor.name) added \(user.name)") { data in
            data.field("actor_id", actor.id)
            data.field("user_id", user.id)
        }
    }

    public static func memberRemoved(_ user: User, by actor: User) -> Self {
        SystemEvent(.memberRemove, "\(actor.name) removed \(user.name)") { data in
            data.field("actor_id", actor.id)
            data.field("user_id", user.id)
        }
    }

    public static func memberLeft(_ user: User) -> Self {
        SystemEvent(.memberLeave, "\(user.name) left the group") { data in
            data.field("actor_id", user.id)
            data.field("user_id", user.id)
        }
    }

    public static func titleChanged(to title: String, from old: String, by actor: User) -> Self {
        SystemEvent(.titleChange, "\(actor.name) renamed the group to \u{201C}\(title)\u{201D}") { data in
            data.field("actor_id", actor.id)
            data.field("title", title)
            data.field("old_title", old)
        }
    }

    public static func ownerChanged(to user: User, from actor: User) -> Self {
        SystemEvent(.ownerChange, "\(user.name) is now the owner of the group") { data in
            data.field("actor_id", actor.id)
            data.field("user_id", user.id)
            data.field("previous_owner_id", actor.id)
        }
    }

    public static func roleChanged(_ user: User, to role: ChatRole, by actor: User) -> Self {
        SystemEvent(.roleChange, "\(actor.name) made \(user.name) \(role == .admin ? "an admin" : "a member")") {
            data in
            data.field("actor_id", actor.id)
            data.field("user_id", user.id)
            data.field("role", role.rawValue)
        }
    }
}
