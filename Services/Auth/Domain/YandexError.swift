/// Failures of signing up and in with Yandex ID.
public enum YandexError: Error, Equatable {
    /// No Yandex client id and secret are configured.
    case notConfigured
    /// The `oauth_token` query parameter is missing.
    case missingToken
    /// Yandex does not accept the OAuth token (its answer was 401).
    case tokenRejected
    /// Yandex refused the authorization code (unknown, expired, used, or the PKCE verifier does not match).
    case codeRejected
    /// The user (or Yandex) refused the authorization; carries Yandex's error code.
    case authorizationDenied(String)
    /// The callback's `state` is missing, forged, expired, used, or from another browser.
    case invalidState
    /// The callback has no `code`.
    case missingCode
    /// This Yandex account already has a user.
    case alreadyRegistered
    /// No user is registered with this Yandex account.
    case notRegistered
    /// Yandex did not share an e-mail address (the `login:email` permission is missing).
    case missingEmail
}
