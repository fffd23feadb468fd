import Foundation

/// A message in a chat: what a member wrote (`type` `default`) or a system message recording a change
/// to a group (``SystemEvent``).
public struct Message: Sendable, Equatable {
    public var id: Int64
    public var chatID: Int64
    /// The author; for a system message, who made the change.
    public var ownerID: Int64
    public var text: String
    /// The message this one answers, in the same chat.
    public var answerID: Int64?
    public var createdAt: Date
    /// `default`, or a ``SystemEvent/Kind`` raw value.
    public var type: String
    /// A system message's structured data, as JSON object text.
    public var data: String?
    public var editedAt: Date?

    public init(
        id: Int64,
        chatID: Int64,
        ownerID: Int64,
        text: String,
        answerID: Int64?,
        createdAt: Date,
        type: String = Message.defaultType,
        data: String? = nil,
        editedAt: Date? = nil
    ) {
        self.id = id
        self.chatID = chatID
        self.ownerID = ownerID
        self.text = text
        self.answerID = answerID
        self.createdAt = createdAt
        self.type = type
        self.data = data
        self.editedAt = editedAt
    }

    /// The type of a message a member wrote.
    public static let defaultType = "default"
}
