import Foundation
import Logging
import Shared

/// Storage of login sessions and their refresh tokens.
public protocol SessionStore: Sendable {
    /// Starts a session for `userID` whose refresh token hashes to `refreshHash`.
    func create(id: UUID, userID: Int64, refreshHash: [UInt8], expiresAt: Date, logger: Logger) async throws

    /// Replaces the refresh token of the live session holding `presentedHash` with `newHash`.
    ///
    /// Any token that was already rotated away (reuse: it may have been stolen) revokes its session.
    /// - Returns: the session id and user id.
    /// - Throws: ``AuthError/invalidRefreshToken`` for an unknown, expired, revoked or reused token.
    func rotate(
        presentedHash: [UInt8],
        newHash: [UInt8],
        logger: Logger
    ) async throws -> (sessionID: UUID, userID: Int64)

    /// Revokes a session; revoking an unknown or revoked session is not an error.
    func revoke(id: UUID, userID: Int64, logger: Logger) async throws

    /// Unexpired sessions whose revocation committed at or after `cursor` (all of them without one), with
    /// their revocation time, and the cursor of the next call.
    ///
    /// Correct under concurrent commits: a revocation that commits after this call is returned by a later
    /// call with the returned cursor, however late it commits. Some sessions may be returned again.
    func revocations(
        after cursor: CommitCursor?,
        logger: Logger
    ) async throws -> (sessions: [(sessionID: UUID, revokedAt: Date)], next: CommitCursor)
}
