import Foundation

/// A message in a chat.
public struct Message: Sendable, Equatable {
    public var id: Int64
    public var chatID: Int64
    public var ownerID: Int64
    public var text: String
    /// The message this one answers, in the same chat.
    public var answerID: Int64?
    public var createdAt: Date

    public init(id: Int64, chatID: Int64, ownerID: Int64, text: String, answerID: Int64?, createdAt: Date) {
        self.id = id
        self.chatID = chatID
        self.ownerID = ownerID
        self.text = text
        self.answerID = answerID
        self.createdAt = createdAt
    }
}
