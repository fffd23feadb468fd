import Shared

/// A user's public profile, owned by the Users service. Its `id` is minted by Auth.
public struct Profile: Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var description: String
    public var status: String
    public var avatarURL: String?

    public init(id: Int64, username: String, description: String = "", status: String = "", avatarURL: String? = nil) {
        self.id = id
        self.username = username
        self.description = description
        self.status = status
        self.avatarURL = avatarURL
    }

    /// What others see of this profile.
    public var summary: UserSummary {
        UserSummary(id: id, username: username, avatarURL: avatarURL)
    }
}
