/// What other services and clients see of a user: the seed's `{id, username, avatar_url}`.
public struct UserSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var username: String
    /// Public URL of the avatar, or `null` when the user has none.
    public var avatarURL: String?

    public init(id: Int64, username: String, avatarURL: String?) {
        self.id = id
        self.username = username
        self.avatarURL = avatarURL
    }

    enum CodingKeys: String, CodingKey {
        case id, username
        case avatarURL = "avatar_url"
    }

    // Encode `avatar_url` as an explicit `null`, as the seed's clients expect the key to be present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(username, forKey: .username)
        try container.encode(avatarURL, forKey: .avatarURL)
    }
}
