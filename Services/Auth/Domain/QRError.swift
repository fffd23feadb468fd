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
}
