import Foundation
import Logging
import PostgresNIO
import Shared

/// Accounts (credentials), on PostgreSQL (schema `auth`).
public struct PostgresAccountStore: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Creates an account that cannot log in yet (``activate(id:logger:)`` makes it usable), committed at
    /// once: the profile is created in Users afterwards, outside any transaction.
    /// - Returns: the new account's id.
    /// - Throws: ``AuthError/emailTaken``, ``YandexError/alreadyRegistered`` (pending accounts count).
    public func createPending(
        email: String,
        passwordHash: String?,
        yandexID: String?,
        logger: Logger
    ) async throws -> Int64 {
        do {
            let rows = try await client.query(
                """
                INSERT INTO auth.accounts (email, password_hash, yandex_id, pending_since)
                VALUES (\(email), \(passwordHash), \(yandexID), now()) RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return id }
            throw APIError.unavailable("Database")
        } catch  where DatabaseError.isUniqueViolation(error, constraint: "accounts_email_key") {
            throw AuthError.emailTaken
        } catch  where DatabaseError.isUniqueViolation(error, constraint: "accounts_yandex_id_key") {
            throw YandexError.alreadyRegistered
        }
    }

    /// Makes a pending account usable.
    /// - Returns: `false` when there is no such account any more (a sweep undid the registration).
    public func activate(id: Int64, logger: Logger) async throws -> Bool {
        let rows = try await client.query(
            "UPDATE auth.accounts SET pending_since = NULL WHERE id = \(id) RETURNING id",
            logger: logger
        )
        for try await _ in rows.decode(Int64.self) { return true }
        return false
    }

    /// Deletes the account `id` if it is still pending (an undone registration); an active one stays.
    /// - Parameter profileMayRemain: whether Users could not confirm the profile's removal: the id is then
    ///   kept in `auth.abandoned_profiles` for ``abandonedProfiles(limit:logger:)``, in the same statement.
    public func removePending(id: Int64, profileMayRemain: Bool, logger: Logger) async throws {
        try await client.query(
            """
            WITH removed AS (DELETE FROM auth.accounts WHERE id = \(id) AND pending_since IS NOT NULL RETURNING id)
            INSERT INTO auth.abandoned_profiles (user_id)
            SELECT id FROM removed WHERE \(profileMayRemain) ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
    }

    /// Ids of profiles Users may still hold for registrations that were undone.
    public func abandonedProfiles(limit: Int, logger: Logger) async throws -> [Int64] {
        let rows = try await client.query(
            "SELECT user_id FROM auth.abandoned_profiles ORDER BY user_id LIMIT \(limit)",
            logger: logger
        )
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        return ids
    }

    /// Forgets an abandoned profile once Users confirmed it is gone.
    public func forgetAbandonedProfile(id: Int64, logger: Logger) async throws {
        try await client.query("DELETE FROM auth.abandoned_profiles WHERE user_id = \(id)", logger: logger)
    }

    /// Ids of accounts pending for longer than `seconds`: registrations a crash or an outage left halfway.
    public func pendingAccounts(olderThan seconds: Int, limit: Int, logger: Logger) async throws -> [Int64] {
        let rows = try await client.query(
            """
            SELECT id FROM auth.accounts
            WHERE pending_since < now() - make_interval(secs => \(Double(seconds)))
            ORDER BY id LIMIT \(limit)
            """,
            logger: logger
        )
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        return ids
    }

    /// The account with this e-mail, ignoring case.
    public func account(email: String, logger: Logger) async throws -> Account? {
        let rows = try await client.query(
            """
            SELECT id, email, password_hash FROM auth.accounts
            WHERE lower(email) = lower(\(email)) AND pending_since IS NULL
            """,
            logger: logger
        )
        for try await (id, email, hash) in rows.decode((Int64, String, String?).self) {
            return Account(id: id, email: email, passwordHash: hash)
        }
        return nil
    }

    /// The account signed up with this Yandex user id.
    public func account(yandexID: String, logger: Logger) async throws -> Account? {
        let rows = try await client.query(
            "SELECT id, email, password_hash FROM auth.accounts WHERE yandex_id = \(yandexID) AND pending_since IS NULL",
            logger: logger
        )
        for try await (id, email, hash) in rows.decode((Int64, String, String?).self) {
            return Account(id: id, email: email, passwordHash: hash)
        }
        return nil
    }

    /// Whether an account has this e-mail, ignoring case, also one still being registered.
    public func isEmailTaken(_ email: String, logger: Logger) async throws -> Bool {
        let rows = try await client.query(
            "SELECT 1 FROM auth.accounts WHERE lower(email) = lower(\(email)) LIMIT 1",
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }
}
