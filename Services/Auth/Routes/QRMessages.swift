import Foundation
import Shared

/// Messages of the QR hub protocol (`ws://HOST/auth_events/qr_auth/?client_id=`), as JSON text frames.
enum QRHubMessage {
    /// The first message of every joined client: how long the hub lives and how often to heart-beat.
    struct Hello: Encodable {
        var op = "hello"
        var timeoutMS: Int
        var heartbeatInterval: Int

        enum CodingKeys: String, CodingKey {
            case op
            case timeoutMS = "timeout_ms"
            case heartbeatInterval = "heartbeat_interval"
        }
    }

    /// Sent to every client when the phone's ticket is accepted, before all are closed with 1000.
    struct AccessGranted: Encodable {
        var op = "access granted"
        var authToken: String
        var user: UserSummary

        enum CodingKeys: String, CodingKey {
            case op
            case authToken = "auth_token"
            case user
        }
    }

    /// A failure that leaves the hub open.
    struct Failure: Encodable {
        var op = "error"
        var detail: String
    }

    /// `{"op": "<name>"}`.
    static func op(_ name: String) -> String {
        json(["op": name])
    }

    static func json(_ value: some Encodable) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? #"{"op":"error"}"#
    }
}

extension QRError {
    /// The `detail` sent in the hub, or the HTTP error of the exchange.
    var message: String {
        switch self {
        case .invalidTicket: "Ticket is invalid"
        case .expiredTicket: "Ticket has expired"
        case .ticketReplayed: "Ticket was already used"
        case .ticketForAnotherClient: "Ticket was issued for another client_id"
        case .invalidClientID: "client_id must be 16-128 characters of A-Z, a-z, 0-9, '-' and '_'"
        case .invalidGrant: "auth_token is invalid, expired, already used or for another client_id"
        case .invalidCodeChallenge:
            "code_challenge must be 43 characters of base64url (the SHA-256 of the code_verifier) "
                + "with code_challenge_method=S256"
        case .hubAlreadyOpen: "This client_id is already in use, make a new one"
        case .invalidCodeVerifier: "code_verifier must be 43-128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'"
        case .codeVerifierMismatch: "code_verifier is missing or does not match the code_challenge of this login"
        case .hubNotOpen: "No login is waiting for this client_id"
        }
    }
}
