/// A login session Auth revoked before its tokens expired; the gateway refuses its access tokens.
/// Listed by Auth in a ``RevocationPage`` at `GET /internal/sessions/revoked?after=`.
public struct RevokedSession: Codable, Sendable, Equatable {
    public var sessionID: String
    /// Seconds since 1970 (database time); the gateway forgets the entry once every token of the session
    /// has expired.
    public var revokedAt: Double

    public init(sessionID: String, revokedAt: Double) {
        self.sessionID = sessionID
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case sessionID = "session_id"
        case revokedAt = "revoked_at"
    }
}
