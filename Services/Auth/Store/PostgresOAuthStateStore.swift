import Foundation
import Logging
import PostgresNIO

/// The Yandex sign-in states already used, on PostgreSQL (`auth.used_oauth_states`): a sealed `state`
/// is accepted once, and remembered until it expires.
public struct PostgresOAuthStateStore: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Marks a Yandex sign-in state as used; `false` when it already was.
    public func spend(id: String, expiresAt: Date, logger: Logger) async throws -> Bool {
        let rows = try await client.query(
            """
            INSERT INTO auth.used_oauth_states (state_id, expires_at) VALUES (\(id), \(expiresAt))
            ON CONFLICT (state_id) DO NOTHING RETURNING state_id
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Deletes used Yandex sign-in states that have expired (run periodically, off the request path).
    public func removeExpired(logger: Logger) async throws {
        try await client.query(
            "DELETE FROM auth.used_oauth_states WHERE expires_at < now() - interval '1 minute'",
            logger: logger
        )
    }
}
