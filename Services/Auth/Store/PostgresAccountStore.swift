import Foundation
import Logging
import PostgresNIO
import Shared

/// ``AccountStore`` on PostgreSQL (schema `auth`).
public struct PostgresAccountStore: AccountStore {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    public func register(
        email: String,
        passwordHash: String?,
        yandexID: String?,
        createProfile: @Sendable (Int64) async throws -> Void,
        logger: Logger
    ) async throws -> Int64 {
        do {
            return try await client.inTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO auth.accounts (email, password_hash, yandex_id)
                    VALUES (\(email), \(passwordHash), \(yandexID)) RETURNING id
                    """,
                    logger: logger
                )
                var newID: Int64?
                for try await id in rows.decode(Int64.self) { newID = id }
                guard let newID else { throw APIError.unavailable("Database") }
                // The unique e-mail row stays locked until commit, so a concurrent registration with the
                // same e-mail waits here and then fails with emailTaken.
                try await createProfile(newID)
                return newID
            }
        } catch  where DatabaseError.isUniqueViolation(error, constraint: "accounts_email_key") {
            throw AuthError.emailTaken
        } catch  where DatabaseError.isUniqueViolation(error, constraint: "accounts_yandex_id_key") {
            throw YandexError.alreadyRegistered
        }
    }

    public func account(email: String, logger: Logger) async throws -> Account? {
        let rows = try await client.query(
            "SELECT id, email, password_hash FROM auth.accounts WHERE lower(email) = lower(\(email))",
            logger: logger
        )
        for try await (id, email, hash) in rows.decode((Int64, String, String?).self) {
            return Account(id: id, email: email, passwordHash: hash)
        }
        return nil
    }

    public func account(yandexID: String, logger: Logger) async throws -> Account? {
        let rows = try await client.query(
            "SELECT id, email, password_hash FROM auth.accounts WHERE yandex_id = \(yandexID)",
            logger: logger
        )
        for try await (id, email, hash) in rows.decode((Int64, String, String?).self) {
            return Account(id: id, email: email, passwordHash: hash)
        }
        return nil
    }

    public func spendOAuthState(id: String, expiresAt: Date, logger: Logger) async throws -> Bool {
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

    public func removeExpiredOAuthStates(logger: Logger) async throws {
        try await client.query(
            "DELETE FROM auth.used_oauth_states WHERE expires_at < now() - interval '1 minute'",
            logger: logger
        )
    }

    public func isEmailTaken(_ email: String, logger: Logger) async throws -> Bool {
        try await account(email: email, logger: logger) != nil
    }
}
