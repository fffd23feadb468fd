import Foundation
import Logging
import PostgresNIO
import Shared

/// Login sessions and their refresh tokens, on PostgreSQL (schema `auth`).
public struct PostgresSessionStore: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Starts a session for `userID` whose refresh token hashes to `refreshHash`.
    public func create(id: UUID, userID: Int64, refreshHash: [UInt8], expiresAt: Date, logger: Logger) async throws {
        try await client.query(
            """
            INSERT INTO auth.sessions (id, user_id, refresh_hash, expires_at)
            VALUES (\(id), \(userID), \(Self.bytes(refreshHash)), \(expiresAt))
            """,
            logger: logger
        )
    }

    /// Replaces the refresh token of the live session holding `presentedHash` with `newHash`.
    ///
    /// Any token that was already rotated away (reuse: it may have been stolen) revokes its session.
    /// - Returns: the session id and user id.
    /// - Throws: ``AuthError/invalidRefreshToken`` for an unknown, expired, revoked or reused token.
    public func rotate(
        presentedHash: [UInt8],
        newHash: [UInt8],
        logger: Logger
    ) async throws -> (sessionID: UUID, userID: Int64) {
        let presented = Self.bytes(presentedHash)
        let rotated = try await client.inTransaction(logger: logger) { connection -> (UUID, Int64)? in
            let rows = try await connection.query(
                """
                UPDATE auth.sessions SET refresh_hash = \(Self.bytes(newHash))
                WHERE refresh_hash = \(presented) AND revoked_at IS NULL AND expires_at > now()
                RETURNING id, user_id
                """,
                logger: logger
            )
            var result: (UUID, Int64)?
            for try await (id, userID) in rows.decode((UUID, Int64).self) {
                result = (id, userID)
            }
            if let result {
                // Every token ever rotated away is remembered, so presenting any of them again is detected.
                try await connection.query(
                    "INSERT INTO auth.retired_refresh_tokens (refresh_hash, session_id) VALUES (\(presented), \(result.0))",
                    logger: logger
                )
            }
            return result
        }
        if let rotated { return rotated }
        // Reuse of a rotated-away token: whoever holds it may not be the owner; end the session.
        try await client.query(
            """
            UPDATE auth.sessions SET revoked_at = now()
            WHERE revoked_at IS NULL
              AND id = (SELECT session_id FROM auth.retired_refresh_tokens WHERE refresh_hash = \(presented))
            """,
            logger: logger
        )
        throw AuthError.invalidRefreshToken
    }

    /// Revokes a session; revoking an unknown or revoked session is not an error.
    public func revoke(id: UUID, userID: Int64, logger: Logger) async throws {
        try await client.query(
            "UPDATE auth.sessions SET revoked_at = now() WHERE id = \(id) AND user_id = \(userID) AND revoked_at IS NULL",
            logger: logger
        )
    }

    /// Unexpired sessions whose revocation committed at or after `cursor` (all of them without one), with
    /// their revocation time, and the cursor of the next call.
    ///
    /// Correct under concurrent commits: a revocation that commits after this call is returned by a later
    /// call with the returned cursor, however late it commits. Some sessions may be returned again.
    public func revocations(
        after cursor: CommitCursor?,
        logger: Logger
    ) async throws -> (sessions: [(sessionID: UUID, revokedAt: Date)], next: CommitCursor) {
        // One statement, so the rows and the next cursor come from the same snapshot. The outer join
        // gives one row (the cursor) even when no session matches.
        let after = cursor?.description
        let rows = try await client.query(
            """
            SELECT s.id, s.revoked_at, horizon.next
            FROM (SELECT \(unescaped: CommitCursor.nextSQL) AS next) AS horizon
            LEFT JOIN auth.sessions AS s
              ON s.revoked_at IS NOT NULL AND s.expires_at > now()
             AND (\(after)::xid8 IS NULL OR s.revoked_xid >= \(after)::xid8)
            ORDER BY s.revoked_at
            """,
            logger: logger
        )
        var sessions: [(sessionID: UUID, revokedAt: Date)] = []
        var next: CommitCursor?
        for try await (id, revokedAt, horizon) in rows.decode((UUID?, Date?, String).self) {
            next = CommitCursor(horizon)
            if let id, let revokedAt { sessions.append((id, revokedAt)) }
        }
        guard let next else { throw APIError.unavailable("Sessions") }
        return (sessions, next)
    }

    static func bytes(_ value: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: value)
    }
}
