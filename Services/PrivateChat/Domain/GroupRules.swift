/// Who may do what in a group, and the shape of a group's fields: rules with no I/O.
public enum GroupRules {
    /// Title length in characters.
    public static let titleLength = 1...100

    /// Checks a group title: 1-100 characters, not only whitespace.
    /// - Throws: ``ChatError/invalidTitle(maxLength:)``.
    public static func validate(title: String) throws {
        guard titleLength.contains(title.count), title.contains(where: { !$0.isWhitespace }) else {
            throw ChatError.invalidTitle(maxLength: titleLength.upperBound)
        }
    }

    /// Whether `actor` may add members or rename the group.
    public static func canManage(_ actor: ChatRole) -> Bool {
        actor == .owner || actor == .admin
    }

    /// Whether `actor` may remove a member whose role is `target`: the owner anyone, an admin members.
    public static func canRemove(_ target: ChatRole, as actor: ChatRole) -> Bool {
        switch actor {
        case .owner: target != .owner
        case .admin: target == .member
        case .member: false
        }
    }

    /// Who takes over when the owner leaves: the oldest admin, else the oldest member (by join time,
    /// then id); `nil` when nobody is left.
    public static func successor(among members: [ChatMember]) -> ChatMember? {
        let candidates = members.filter { $0.role != .owner }
        let byAge = candidates.sorted { ($0.joinedAt, $0.userID) < ($1.joinedAt, $1.userID) }
        return byAge.first { $0.role == .admin } ?? byAge.first
    }

    /// The user ids of a group's new members: duplicates and the creator dropped, order kept.
    /// - Throws: ``ChatError/invalidMemberCount(maxOthers:)`` when none remain or too many do.
    public static func otherMembers(_ ids: [Int64], creator: Int64, maxMembers: Int) throws -> [Int64] {
        var seen: Set<Int64> = [creator]
        let others = ids.filter { seen.insert($0).inserted }
        guard (1...max(1, maxMembers - 1)).contains(others.count) else {
            throw ChatError.invalidMemberCount(maxOthers: maxMembers - 1)
        }
        return others
    }
}
