import Foundation

/// What a QR hub client asks for in one text frame: `{"op": "heartbeat"}` or
/// `{"op": "pending_ticket", "encrypted_user_payload": ...}`; any other op is kept to be answered
/// as unknown.
///
/// It imports only Foundation, so `make fuzz` compiles it standalone with libFuzzer
/// (`Fuzz/FuzzQRHubFrame.swift`).
enum QRHubCommand: Equatable {
    case heartbeat
    case pendingTicket(String?)
    /// An op the hub does not know, cut to 64 characters for the answer.
    case unknown(String)

    /// The longest frame read: the hub's WebSocket frames are capped at 8 KiB anyway.
    static let maxFrameBytes = 8192

    /// Parses a text frame; nil when it is not a JSON object with a string `op` (or is too long).
    init?(frame text: String) {
        guard text.utf8.count <= Self.maxFrameBytes,
            let message = try? JSONDecoder().decode(Message.self, from: Data(text.utf8))
        else { return nil }
        switch message.op {
        case "heartbeat": self = .heartbeat
        case "pending_ticket": self = .pendingTicket(message.encryptedUserPayload)
        default: self = .unknown(String(message.op.prefix(64)))
        }
    }

    private struct Message: Decodable {
        var op: String
        var encryptedUserPayload: String?

        enum CodingKeys: String, CodingKey {
            case op
            case encryptedUserPayload = "encrypted_user_payload"
        }
    }
}
