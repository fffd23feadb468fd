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
    /// `data` as JSON object text, built here from ids and escaped strings only.
    public var data: String

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public static func groupCreated(by actor: (id: Int64, name: String), title: String, members: [Int64]) -> Self {
        SystemEvent(
            kind: .groupCreate,
            text: "\(actor.name) created the group \u{201C}\(title)\u{201D}",
            data:
                #"{"actor_id":\#(actor.id),"title":\#(quoted(title)),"member_ids":[\#(members.map(String.init).joined(separator: ","))]}"#
        )
    }

    public static func memberAdded(_ user: (id: Int64, name: String), by actor: (id: Int64, name: String)) -> Self {
        SystemEvent(
            kind: .memberAdd,
            text: "\(actor.name) added \(user.name)",
            data: #"{"actor_id":\#(actor.id),"user_id":\#(user.id)}"#
        )
    }

    public static func memberRemoved(_ user: (id: Int64, name: String), by actor: (id: Int64, name: String)) -> Self {
        SystemEvent(
            kind: .memberRemove,
            text: "\(actor.name) removed \(user.name)",
            data: #"{"actor_id":\#(actor.id),"user_id":\#(user.id)}"#
        )
    }

    public static func memberLeft(_ user: (id: Int64, name: String)) -> Self {
        SystemEvent(
            kind: .memberLeave,
            text: "\(user.name) left the group",
            data: #"{"actor_id":\#(user.id),"user_id":\#(user.id)}"#
        )
    }

    public static func titleChanged(to title: String, from old: String, by actor: (id: Int64, name: String)) -> Self {
        SystemEvent(
            kind: .titleChange,
            text: "\(actor.name) renamed the group to \u{201C}\(title)\u{201D}",
            data: #"{"actor_id":\#(actor.id),"title":\#(quoted(title)),"old_title":\#(quoted(old))}"#
        )
    }

    public static func ownerChanged(to user: (id: Int64, name: String), from actor: (id: Int64, name: String)) -> Self {
        SystemEvent(
            kind: .ownerChange,
            text: "\(user.name) is now the owner of the group",
            data: #"{"actor_id":\#(actor.id),"user_id":\#(user.id),"previous_owner_id":\#(actor.id)}"#
        )
    }

    public static func roleChanged(
        _ user: (id: Int64, name: String),
        to role: ChatRole,
        by actor: (id: Int64, name: String)
    ) -> Self {
        SystemEvent(
            kind: .roleChange,
            text: "\(actor.name) made \(user.name) \(role == .admin ? "an admin" : "a member")",
            data: #"{"actor_id":\#(actor.id),"user_id":\#(user.id),"role":"\#(role.rawValue)"}"#
        )
    }
}
