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

    /// Deletes a profile (announced on ``ProfileChanges/channel`` at its commit); deleting a missing one
    /// is not an error.
    public func delete(id: Int64, logger: Logger) async throws {
        try await client.query(
            """
            WITH gone AS (DELETE FROM users.profiles WHERE id = \(id) RETURNING id)
            SELECT pg_notify(\(ProfileChanges.channel), id::text) FROM gone
            """,
            logger: logger
        )
    }

    /// Makes `key` the user's avatar, in place of an outside picture, and appends the `USER_UPDATE` of the
    /// changed user to `recipients` in the same transaction, which also announces the change on
    /// ``ProfileChanges/channel`` (the summary caches of PrivateChat drop the user at the commit).
    /// - Returns: the key of the avatar it replaces, if any.
    /// - Throws: ``UsersError/profileNotFound``.
    public func replaceAvatar(
        userID: Int64,
        key: String,
        notifying recipients: [Int64],
        logger: Logger
    ) async throws -> String? {
        try await client.inTransaction(logger: logger) { connection in
            // The row lock of the inner SELECT makes concurrent uploads of one user take turns, so each
            // sees the key the previous one stored and no picture is left behind unreferenced.
            let rows = try await connection.query(
                """
                UPDATE users.profiles AS p SET avatar_key = \(key), avatar_url = NULL
                FROM (SELECT id, avatar_key FROM users.profiles WHERE id = \(userID) FOR UPDATE) AS old
                WHERE p.id = old.id
                RETURNING old.avatar_key, \(unescaped: PublicUserRow.columns)
                """,
                logger: logger
            )
            var changed: (previous: String?, user: PublicUser)?
            for try await row in rows {
                var columns = ColumnReader(row)
                let previous: String? = try columns.next()
                changed = (previous, try PublicUserRow(&columns).user(media: media))
            }
            guard let changed else { throw UsersError.profileNotFound }
            try await connection.append([UserEvents.userUpdated(changed.user, recipients: recipients)], logger: logger)
            try await connection.query(ProfileChanges.announcement(of: userID), logger: logger)
            return changed.previous
        }
    }

    /// The users whose username equals `username`, ignoring case, with their presence.
    public func publicUsers(username: String, logger: Logger) async throws -> [PublicUser] {
        var result: [PublicUser] = []
        for try await row in try await client.execute(PublicUsersByName(username: username), logger: logger) {
            result.append(row.user(media: media))
        }
        return result
    }

    /// The users with these ids (missing ids are skipped), with their presence, in one query.
    public func publicUsers(ids: [Int64], logger: Logger) async throws -> [PublicUser] {
        guard !ids.isEmpty else { return [] }
        return try await publicUsers(
            client.query(
                "SELECT \(unescaped: PublicUserRow.columns) FROM users.profiles p WHERE p.id = ANY(\(ids)) ORDER BY p.id",
                logger: logger
            )
        )
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

    /// The users of rows of ``PublicUserRow/columns``.
    func publicUsers(_ rows: PostgresRowSequence) async throws -> [PublicUser] {
        var result: [PublicUser] = []
        for try await row in rows {
            var columns = ColumnReader(row)
            result.append(try PublicUserRow(&columns).user(media: media))
        }
        return result
    }
}
