import Foundation
import Logging

/// What QR login remembers: spent tickets, and the one-time `auth_token`s handed to browsers.
public protocol QRGrantStore: Sendable {
    /// Marks a ticket spent.
    /// - Returns: `false` when it was spent before (a replay).
    func spendTicket(id: String, expiresAt: Date, logger: Logger) async throws -> Bool

    /// Stores a grant: `auth_token` (hashed) lets the browser `clientID` log in as `userID` once, until `expiresAt`,
    /// and only with the `code_verifier` of `codeChallenge` when there is one.
    func storeGrant(
        tokenHash: [UInt8],
        userID: Int64,
        clientID: String,
        codeChallenge: String?,
        expiresAt: Date,
        logger: Logger
    ) async throws

    /// Reads a grant presented by `clientID` without spending it.
    /// - Returns: the grant, or `nil` when it is unknown, expired, spent, or for another client.
    func pendingGrant(tokenHash: [UInt8], clientID: String, logger: Logger) async throws -> QRPendingGrant?

    /// Spends a grant presented by `clientID`.
    /// - Returns: the user id, or `nil` when the grant is unknown, expired, spent, or for another client.
    func redeemGrant(tokenHash: [UInt8], clientID: String, logger: Logger) async throws -> Int64?

    /// Deletes spent tickets and grants that have expired (run periodically, off the request path).
    func removeExpired(logger: Logger) async throws
}
