import Foundation
import Shared

/// What a phone's ticket says: which user, for how long, and (optionally) for which browser.
public struct QRTicket: Codable, Sendable, Equatable {
    /// Random id; a ticket is accepted once.
    public var ticketID: String
    public var userID: Int64
    /// The browser's `client_id` the ticket is bound to, if the phone named one.
    public var clientID: String?
    /// Expiry, seconds since 1970.
    public var expiresAt: Double

    enum CodingKeys: String, CodingKey {
        case ticketID = "tid"
        case userID = "uid"
        case clientID = "cid"
        case expiresAt = "exp"
    }
}

/// Seals and opens phone tickets under Auth's QR key (see ``TokenSealer``).
///
/// A ticket names the user and nothing secret about them (no password hash, no token); it is
/// unreadable and unforgeable without the key, and expires after ``lifetime``.
public struct QRTicketSealer: Sendable {
    /// How long a ticket is valid.
    public let lifetime: TimeInterval
    let sealer: TokenSealer

    /// - Parameter base64Key: 32 bytes, base64 (`QR_TICKET_KEY`).
    /// - Throws: ``ConfigError`` when the key is not 32 bytes.
    public init(base64Key: String, lifetime: TimeInterval = 120) throws {
        sealer = try TokenSealer(base64Key: base64Key, variable: "QR_TICKET_KEY", purpose: "messenger.qr-ticket.v1")
        self.lifetime = lifetime
    }

    /// A sealed ticket for `userID`, optionally bound to `clientID`.
    public func seal(userID: Int64, clientID: String?, now: Date = Date()) throws -> (token: String, ticket: QRTicket) {
        let ticket = QRTicket(
            ticketID: TokenSealer.randomID(),
            userID: userID,
            clientID: clientID,
            expiresAt: now.addingTimeInterval(lifetime).timeIntervalSince1970
        )
        return (try sealer.seal(ticket), ticket)
    }

    /// Opens and checks a sealed ticket.
    /// - Throws: ``QRError/invalidTicket`` when it was not sealed with this key or was altered;
    ///   ``QRError/expiredTicket`` when it is past its expiry at `now`.
    public func open(_ token: String, now: Date = Date()) throws -> QRTicket {
        guard let ticket = sealer.open(token, as: QRTicket.self, maxLength: 1024) else { throw QRError.invalidTicket }
        guard ticket.expiresAt > now.timeIntervalSince1970 else { throw QRError.expiredTicket }
        return ticket
    }
}
