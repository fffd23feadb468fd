import Foundation
import Logging
import NIOCore
import PostgresNIO
import Shared

/// QR login grants and spent tickets, on PostgreSQL (schema `auth`). Spending is a single conditional write, so two
/// instances racing on the same ticket or grant cannot both win.
public struct PostgresQRGrantStore: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Marks a ticket spent.
    /// - Returns: `false` when it was spent before (a replay).
    public func spendTicket(id: String, expiresAt: Date, logger: Logger) async throws -> Bool {
        let rows = try await client.query(
            """
            INSERT INTO auth.qr_used_tickets (ticket_id, expires_at) VALUES (\(id), \(expiresAt))
            ON CONFLICT (ticket_id) DO NOTHING RETURNING ticket_id
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Stores a grant: `auth_token` (hashed) lets the browser `clientID` log in as `userID` once, until `expiresAt`,
    /// and only with the `code_verifier` of `codeChallenge` when there is one.
    public func storeGrant(
        tokenHash: [UInt8],
        userID: Int64,
        clientID: String,
        codeChallenge: String?,
        expiresAt: Date,
        logger: Logger
    ) async throws {
        try await client.query(
            """
            INSERT INTO auth.qr_grants (token_hash, user_id, client_id, code_challenge, expires_at)
            VALUES (\(ByteBuffer(bytes: tokenHash)), \(userID), \(clientID), \(codeChallenge), \(expiresAt))
            """,
            logger: logger
        )
    }

    /// Reads a grant presented by `clientID` without spending it.
    /// - Returns: the grant, or `nil` when it is unknown, expired, spent, or for another client.
    public func pendingGrant(tokenHash: [UInt8], clientID: String, logger: Logger) async throws -> QRPendingGrant? {
        let rows = try await client.query(
            """
            SELECT user_id, code_challenge FROM auth.qr_grants
            WHERE token_hash = \(ByteBuffer(bytes: tokenHash)) AND client_id = \(clientID)
              AND used_at IS NULL AND expires_at > now()
            """,
            logger: logger
        )
        for try await (userID, codeChallenge) in rows.decode((Int64, String?).self) {
            return QRPendingGrant(userID: userID, codeChallenge: codeChallenge)
        }
        return nil
    }

    /// Spends a grant presented by `clientID`.
    /// - Returns: the user id, or `nil` when the grant is unknown, expired, spent, or for another client.
    public func redeemGrant(tokenHash: [UInt8], clientID: String, logger: Logger) async throws -> Int64? {
        let rows = try await client.query(
            """
            UPDATE auth.qr_grants SET used_at = now()
            WHERE token_hash = \(ByteBuffer(bytes: tokenHash)) AND client_id = \(clientID)
              AND used_at IS NULL AND expires_at > now()
            RETURNING user_id
            """,
            logger: logger
        )
        for try await userID in rows.decode(Int64.self) { return userID }
        return nil
    }

    /// Deletes spent tickets and grants that have expired (run periodically, off the request path).
    public func removeExpired(logger: Logger) async throws {
        // A minute of slack: a row is never removed while a request that just read it may still act on it.
        try await client.query(
            "DELETE FROM auth.qr_used_tickets WHERE expires_at < now() - interval '1 minute'",
            logger: logger
        )
        try await client.query(
            "DELETE FROM auth.qr_grants WHERE expires_at < now() - interval '1 minute'",
            logger: logger
        )
    }
}
