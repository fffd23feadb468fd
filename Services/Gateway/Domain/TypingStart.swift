import Shared

/// `TYPING_START`'s `d`: `{"chat_id", "user_id", "timestamp"}` (Unix seconds).
struct TypingStart: JSONWritable {
    static let type = "TYPING_START"

    var chatID: Int64
    var userID: Int64
    var timestamp: Int64

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("chat_id", chatID)
            object.field("user_id", userID)
            object.field("timestamp", timestamp)
        }
    }
}
