/// A user as the public user lists show them (`GET /users/user/`, the members of a chat's info, the `d`
/// of `USER_UPDATE`): the summary and the user's presence. Messages and chat payloads keep the
/// ``UserSummary`` alone. Written by ``JSONWriter`` (`write(to:)`), read back by the other services.
///
/// A user is online while active within the last 5 minutes (seed 000): an authenticated request through
/// a gateway, or an identified gateway WebSocket connection. Users decides it (`PresenceRules`).
public struct PublicUser: Decodable, Sendable, Equatable {
    public var summary: UserSummary
    public var isOnline: Bool
    /// When the user was last active, as ``UTCTimestamp/iso8601(_:)`` spells it; `nil` when never seen.
    public var lastOnlineAt: String?

    public init(summary: UserSummary, isOnline: Bool, lastOnlineAt: String?) {
        self.summary = summary
        self.isOnline = isOnline
        self.lastOnlineAt = lastOnlineAt
    }

    enum CodingKeys: String, CodingKey {
        case id, username
        case avatarURL = "avatar_url"
        case isOnline = "is_online"
        case lastOnlineAt = "last_online_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        summary = UserSummary(
            id: try container.decode(Int64.self, forKey: .id),
            username: try container.decode(String.self, forKey: .username),
            avatarURL: try container.decodeIfPresent(String.self, forKey: .avatarURL)
        )
        isOnline = try container.decode(Bool.self, forKey: .isOnline)
        lastOnlineAt = try container.decodeIfPresent(String.self, forKey: .lastOnlineAt)
    }

    /// A user whose profile no longer exists (or was never seen): offline, never active.
    public static func offline(_ summary: UserSummary) -> PublicUser {
        PublicUser(summary: summary, isOnline: false, lastOnlineAt: nil)
    }
}
