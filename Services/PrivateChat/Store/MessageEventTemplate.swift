import Foundation
import Shared

/// A message's `MESSAGE_CREATE` payload before the message has an id and a time: the JSON text that
/// ``MessageOutput`` writes, cut around those two values, so the statement that inserts the message can
/// write its event in the same round trip (`'{"id":' || id || afterID || time || afterTime`).
///
/// The parts come from ``MessageOutput`` itself, written once with sentinel values and cut at them, so the
/// event stays byte for byte what `GET /private/{chat_id}/messages` lists. The cuts are unambiguous: the id
/// opens the object, and `"created_at":"` with unescaped quotes cannot occur inside a JSON string.
struct MessageEventTemplate: Sendable, Equatable {
    /// What follows the id: `,"text":...,"created_at":"`.
    var afterID: String
    /// What follows the time: `","type":...}`.
    var afterTime: String

    /// The SQL format of `created_at` that matches ``UTCTimestamp/iso8601(_:)`` (whole seconds, UTC).
    static let timeFormat = #"YYYY-MM-DD"T"HH24:MI:SS"Z""#

    static let sentinelTime = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31T23:59:59Z

    init?(
        chatID: Int64,
        ownerID: Int64,
        text: String,
        answerID: Int64?,
        owner: UserSummary
    ) {
        let message = Message(
            id: Int64.min,
            chatID: chatID,
            ownerID: ownerID,
            text: text,
            answerID: answerID,
            createdAt: Self.sentinelTime
        )
        let json = MessageOutput(message, owner: owner).jsonText
        let head = #"{"id":"# + String(Int64.min)
        let timeKey = #""created_at":""# + UTCTimestamp.iso8601(Self.sentinelTime)
        guard json.hasPrefix(head), let time = json.range(of: timeKey) else { return nil }
        let timeValueStart = json.index(time.lowerBound, offsetBy: #""created_at":""#.count)
        afterID = String(json[json.index(json.startIndex, offsetBy: head.count)..<timeValueStart])
        afterTime = String(json[time.upperBound...])
    }

    /// The payload for the message `id` posted at `createdAt` (what the statement's SQL assembles).
    func payload(id: Int64, createdAt: Date) -> String {
        #"{"id":"# + String(id) + afterID + UTCTimestamp.iso8601(createdAt) + afterTime
    }
}
