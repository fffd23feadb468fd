/// The authenticated user a request acts for, as the gateway vouches for it.
public struct Caller: Sendable, Equatable {
    /// The user's id (`sub` of the access token).
    public var userID: Int64
    /// The login session the token belongs to (`sid`).
    public var sessionID: String

    public init(userID: Int64, sessionID: String) {
        self.userID = userID
        self.sessionID = sessionID
    }
}
