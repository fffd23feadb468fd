/// Failures of QR login.
public enum QRError: Error, Equatable {
    /// The ticket was not sealed by Auth, was altered, or is malformed.
    case invalidTicket
    case expiredTicket
    /// The ticket was already used.
    case ticketReplayed
    /// The ticket is bound to another browser.
    case ticketForAnotherClient
    /// `client_id` is missing or malformed.
    case invalidClientID
    /// The `auth_token` is unknown, expired, already used, or for another `client_id`.
    case invalidGrant
    /// The `code_challenge` a client opened a hub with is malformed, or its method is not S256.
    case invalidCodeChallenge
    /// A client with a `code_challenge` asked to join a hub that someone else opened.
    case hubAlreadyOpen
    /// The `code_verifier` of an exchange is malformed.
    case invalidCodeVerifier
    /// The `code_verifier` of an exchange is missing or does not match the hub's `code_challenge` (or was sent
    /// for a grant of a hub opened without one).
    case codeVerifierMismatch
    /// No hub of this `client_id` is open on this instance.
    case hubNotOpen
}
