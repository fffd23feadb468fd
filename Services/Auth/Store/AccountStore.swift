import Logging

/// Storage of accounts (credentials).
public protocol AccountStore: Sendable {
    /// Creates an account and, inside the same transaction, calls `createProfile` with its new id.
    /// If `createProfile` throws, the account is rolled back, so no half user is left behind.
    /// - Throws: ``AuthError/emailTaken``, or what `createProfile` throws.
    func register(
        email: String,
        passwordHash: String?,
        createProfile: @Sendable (Int64) async throws -> Void,
        logger: Logger
    ) async throws -> Int64

    /// The account with this e-mail, ignoring case.
    func account(email: String, logger: Logger) async throws -> Account?

    /// Whether an account has this e-mail, ignoring case.
    func isEmailTaken(_ email: String, logger: Logger) async throws -> Bool
}
