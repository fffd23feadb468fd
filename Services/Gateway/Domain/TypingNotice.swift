import Foundation
import Shared

/// A `typing` announced to every gateway: the payload of a notification on the events channel,
/// `typing {"recipients":[...],"chat_id":..,"user_id":..,"timestamp":..}`.
struct TypingNotice: Codable, Equatable, Sendable {
    static let prefix = "typing "

    var recipients: [Int64]
    var chatID: Int64
    var userID: Int64
    /// Unix seconds.
    var timestamp: Int64

    enum CodingKeys: String, CodingKey {
        case recipients
        case chatID = "chat_id"
        case userID = "user_id"
        case timestamp
    }

    init(recipients: [Int64], chatID: Int64, userID: Int64, timestamp: Int64) {
        self.recipients = recipients
        self.chatID = chatID
        self.userID = userID
        self.timestamp = timestamp
    }

    /// Reads a notification's payload; `nil` for anything else (such as the outbox's wake-ups).
    init?(notification payload: String) {
        guard payload.hasPrefix(Self.prefix),
            let notice = try? JSONDecoder().decode(
                Self.self,
                from: Data(payload.utf8.dropFirst(Self.prefix.utf8.count))
            )
        else { return nil }
        self = notice
    }

    /// The JSON text of the notice.
    var text: String {
        var writer = JSONWriter(capacity: 64 + recipients.count * 8)
        writer.object { object in
            object.field("recipients", recipients)
            object.field("chat_id", chatID)
            object.field("user_id", userID)
            object.field("timestamp", timestamp)
        }
        return writer.text
    }

    /// TYPING_START's `d`.
    var payload: String {
        var writer = JSONWriter(capacity: 64)
        writer.object { object in
            object.field("chat_id", chatID)
            object.field("user_id", userID)
            object.field("timestamp", timestamp)
        }
        return writer.text
    }
}
