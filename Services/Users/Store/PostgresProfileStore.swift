import Logging
import PostgresNIO
import Shared

/// ``ProfileStore`` on PostgreSQL (schema `users`).
public struct PostgresProfileStore: ProfileStore {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

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

    public func delete(id: Int64, logger: Logger) async throws {
        try await client.query("DELETE FROM users.profiles WHERE id = \(id)", logger: logger)
    }

    public func summaries(username: String, logger: Logger) async throws -> [UserSummary] {
        let rows = try await client.query(
            "SELECT id, username, avatar_url FROM users.profiles WHERE lower(username) = lower(\(username)) ORDER BY id",
            logger: logger
        )
        return try await Self.collect(rows)
    }

    public func summaries(ids: [Int64], logger: Logger) async throws -> [UserSummary] {
        guard !ids.isEmpty else { return [] }
        let rows = try await client.query(
            "SELECT id, username, avatar_url FROM users.profiles WHERE id = ANY(\(ids)) ORDER BY id",
            logger: logger
        )
        return try await Self.collect(rows)
    }

    static func collect(_ rows: PostgresRowSequence) async throws -> [UserSummary] {
        var result: [UserSummary] = []
        for try await (id, username, avatarURL) in rows.decode((Int64, String, String?).self) {
            result.append(UserSummary(id: id, username: username, avatarURL: avatarURL))
        }
        return result
    }
}
