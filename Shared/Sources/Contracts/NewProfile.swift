/// Auth's request to Users to create the profile of a user it is registering (`POST /internal/profiles`).
public struct NewProfile: Codable, Sendable, Equatable {
    /// The id Auth minted for the user.
    public var id: Int64
    public var username: String
    public var description: String
    public var status: String
    /// An outside picture to show until the user uploads one (their Yandex avatar).
    public var avatarURL: String?

    public init(id: Int64, username: String, description: String, status: String, avatarURL: String? = nil) {
        self.id = id
        self.username = username
        self.description = description
        self.status = status
        self.avatarURL = avatarURL
    }

    enum CodingKeys: String, CodingKey {
        case id, username, description, status
        case avatarURL = "avatar_url"
    }
}

/// PrivateChat's request for the summaries of several users in one call (`POST /internal/profiles/summaries`).
public struct SummaryRequest: Codable, Sendable, Equatable {
    public var ids: [Int64]

    public init(ids: [Int64]) {
        self.ids = ids
    }
}
