import Foundation
import Logging

/// Storage of accounts (credentials).
public protocol AccountStore: Sendable {
    /// Creates an account and, inside the same transaction, calls `createProfile` with its new id.
    /// If `createProfile` throws, the account is rolled back, so no half user is left behind.
    /// - Throws: ``AuthError/emailTaken``, ``YandexError/alreadyRegistered``, or what `createProfile` throws.
    func register(
        email: String,
        passwordHash: String?,
        yandexID: String?,
        createProfile: @Sendable (Int64) async throws -> Void,
        logger: Logger
    ) async throws -> Int64

    /// The account with this e-mail, ignoring case.
    func account(email: String, logger: Logger) async throws -> Account?

    /// The account signed up with this Yandex user id.
    func account(yandexID: String, logger: Logger) async throws -> Account?

    /// Marks a Yandex sign-in state as used; `false` when it already was.
    func spendOAuthState(id: String, expiresAt: Date, logger: Logger) async throws -> Bool

    /// Deletes used Yandex sign-in states that have expired (run periodically, off the request path).
    func removeExpiredOAuthStates(logger: Logger) async throws

    /// Whether an account has this e-mail, ignoring case.
    func isEmailTaken(_ email: String, logger: Logger) async throws -> Bool
}
