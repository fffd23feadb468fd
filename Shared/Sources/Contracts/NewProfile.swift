/// Auth's request to Users to create the profile of a user it is registering (`POST /internal/profiles`).
public struct NewProfile: Codable, Sendable, Equatable {
    /// The id Auth minted for the user.
    public var id: Int64
    public var username: String
    public var description: String
    public var status: String

    public init(id: Int64, username: String, description: String, status: String) {
        self.id = id
        self.username = username
        self.description = description
        self.status = status
    }
}

/// PrivateChat's request for the summaries of several users in one call (`POST /internal/profiles/summaries`).
public struct SummaryRequest: Codable, Sendable, Equatable {
    public var ids: [Int64]

    public init(ids: [Int64]) {
        self.ids = ids
    }
}
