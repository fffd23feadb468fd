import Logging
import PostgresNIO
import Shared

/// Profiles, on PostgreSQL (schema `users`).
public struct PostgresProfileStore: Sendable {
    let client: PostgresClient
    let media: MediaLinks

    /// - Parameter media: makes the URLs of uploaded avatars from their keys.
    public init(client: PostgresClient, media: MediaLinks) {
        self.client = client
        self.media = media
    }

    /// Stores a new profile.
    /// - Throws: ``UsersError/usernameTaken`` or ``UsersError/profileExists``.
    public func create(_ profile: Profile, logger: Logger) async throws {
        do {
            // Interpolation binds values as parameters: safe from SQL injection.
            try await client.query(
                """
                INSERT INTO users.profiles (id, username, description, status, avatar_url)
                VALUES (\(profile.id), \(profile.username), \(profile.description), \(profile.status), \(profile.avatarURL))
                """,
                logger: logger
            )
        } catch  where DatabaseError.isUniqueViolation(error, constraint: "profiles_username_key") {
            throw UsersError.usernameTaken
        } catch  where DatabaseError.isUniqueViolation(error) {
            throw UsersError.profileExists
        }
    }

    /// Deletes a profile; deleting a missing one is not an error.
    public func delete(id: Int64, logger: Logger) async throws {
        try await client.query("DELETE FROM users.profiles WHERE id = \(id)", logger: logger)
    }

    /// Makes `key` the user's avatar, in place of an outside picture.
    /// - Returns: the key of the avatar it replaces, if any.
    /// - Throws: ``UsersError/profileNotFound``.
    public func replaceAvatar(userID: Int64, key: String, logger: Logger) async throws -> String? {
        // The row lock of the inner SELECT makes concurrent uploads of one user take turns, so each
        // sees the key the previous one stored and no picture is left behind unreferenced.
        let rows = try await client.query(
            """
            UPDATE users.profiles AS p SET avatar_key = \(key), avatar_url = NULL
            FROM (SELECT id, avatar_key FROM users.profiles WHERE id = \(userID) FOR UPDATE) AS old
            WHERE p.id = old.id
            RETURNING old.avatar_key
            """,
            logger: logger
        )
        for try await previous in rows.decode(String?.self) { return previous }
        throw UsersError.profileNotFound
    }

    /// Profiles whose username equals `username`, ignoring case.
    public func summaries(username: String, logger: Logger) async throws -> [UserSummary] {
        let rows = try await client.query(
            """
            SELECT id, username, avatar_url, avatar_key FROM users.profiles
            WHERE lower(username) = lower(\(username)) ORDER BY id
            """,
            logger: logger
        )
        return try await collect(rows)
    }

    /// Summaries of the profiles with these ids (missing ids are skipped), in one query.
    public func summaries(ids: [Int64], logger: Logger) async throws -> [UserSummary] {
        guard !ids.isEmpty else { return [] }
        var result: [UserSummary] = []
        result.reserveCapacity(ids.count)
        // Prepared once per connection: every page of messages and every chat list asks this.
        for try await profile in try await client.execute(SummariesByID(ids: ids), logger: logger) {
            result.append(profile.summary(media: media))
        }
        return result
    }

    /// Summaries from rows of `id, username, avatar_url, avatar_key`; an uploaded avatar wins.
    func collect(_ rows: PostgresRowSequence) async throws -> [UserSummary] {
        var result: [UserSummary] = []
        for try await row in rows {
            result.append(try SummaryRow(row).summary(media: media))
        }
        return result
    }
}
