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
