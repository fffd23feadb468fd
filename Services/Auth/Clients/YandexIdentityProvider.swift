import Logging

/// Yandex ID as Auth uses it: who owns an OAuth token, and codes exchanged for tokens.
public protocol YandexIdentityProvider: Sendable {
    /// The user `accessToken` belongs to.
    /// - Throws: ``YandexError/tokenRejected`` when Yandex refuses the token; ``APIError`` 503 when
    ///   Yandex cannot be reached or answers unusably.
    func user(accessToken: String, logger: Logger) async throws -> YandexUser

    /// Exchanges an authorization code (with its PKCE verifier) for an access token.
    /// - Throws: ``YandexError/codeRejected``, or ``APIError`` 503 as above.
    func accessToken(code: String, verifier: String, logger: Logger) async throws -> String
}
