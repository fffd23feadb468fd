import Foundation
import PostgresNIO
import Shared

/// A row of `id, username, avatar_url, avatar_key` from `users.profiles`.
struct SummaryRow {
    var id: Int64
    var username: String
    var avatarURL: String?
    var avatarKey: String?

    init(_ row: PostgresRow) throws {
        var columns = ColumnReader(row)
        id = try columns.next()
        username = try columns.next()
        avatarURL = try columns.next()
        avatarKey = try columns.next()
    }

    init(id: Int64, username: String, avatarURL: String?, avatarKey: String?) {
        self.id = id
        self.username = username
        self.avatarURL = avatarURL
        self.avatarKey = avatarKey
    }

    /// The user's summary; an uploaded avatar wins over a linked one.
    func summary(media: MediaLinks) -> UserSummary {
        UserSummary(id: id, username: username, avatarURL: avatarKey.map(media.url) ?? avatarURL)
    }
}

/// The profiles of some users, by id, as a statement prepared once per connection.
struct SummariesByID: PostgresPreparedStatement {
    static let sql = "SELECT id, username, avatar_url, avatar_key FROM users.profiles WHERE id = ANY($1) ORDER BY id"
    var ids: [Int64]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> SummaryRow {
        try SummaryRow(row)
    }
}

/// A row of ``columns`` from `users.profiles`: a user with presence.
struct PublicUserRow {
    /// The columns read, from `users.profiles` named `p`; `is_online` is decided by the database's clock,
    /// the one every `last_online_at` is written with.
    static let columns = """
        p.id, p.username, p.avatar_url, p.avatar_key, p.last_online_at,
        COALESCE(p.last_online_at > now() - make_interval(secs => \(PresenceRules.onlineWindowSeconds)), false)
        """

    var summary: SummaryRow
    var lastOnlineAt: Date?
    var isOnline: Bool

    /// Reads the row's next columns, the order of ``columns``.
    init(_ columns: inout ColumnReader) throws {
        summary = SummaryRow(
            id: try columns.next(),
            username: try columns.next(),
            avatarURL: try columns.next(),
            avatarKey: try columns.next()
        )
        lastOnlineAt = try columns.next()
        isOnline = try columns.next()
    }

    func user(media: MediaLinks) -> PublicUser {
        PublicUser(
            summary: summary.summary(media: media),
            isOnline: isOnline,
            lastOnlineAt: lastOnlineAt.map(UTCTimestamp.iso8601)
        )
    }
}

/// The users whose username equals `$1`, ignoring case, with their presence: seed function 1, the most
/// frequent query of Users, so prepared once per connection (parsed and planned once, not per search).
struct PublicUsersByName: PostgresPreparedStatement {
    static let sql = """
        SELECT \(PublicUserRow.columns) FROM users.profiles p
        WHERE lower(p.username) = lower($1) ORDER BY p.id
        """
    var username: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(username)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PublicUserRow {
        var columns = ColumnReader(row)
        return try PublicUserRow(&columns)
    }
}
