/// Auth's answer to `GET /internal/sessions/revoked?after=<cursor>`: unexpired revoked sessions and the
/// cursor of the next poll.
///
/// The cursor is a ``CommitCursor`` in text form; the first poll sends none and gets every unexpired
/// revocation. A session may be listed by several polls in a row: the gateway adds them idempotently.
public struct RevocationPage: Codable, Sendable, Equatable {
    /// The `after` of the next poll.
    public var cursor: String
    public var sessions: [RevokedSession]

    public init(cursor: String, sessions: [RevokedSession]) {
        self.cursor = cursor
        self.sessions = sessions
    }
}
