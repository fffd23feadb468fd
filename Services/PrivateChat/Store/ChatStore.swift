import Logging

/// Storage of chats and messages.
public protocol ChatStore: Sendable {
    /// The chat between the two users, created if there is none; with `firstText`, also a first message
    /// from `starterID`, in the same transaction.
    /// - Returns: the chat's id and whether this call created it.
    func startChat(
        starterID: Int64,
        recipientID: Int64,
        firstText: String?,
        logger: Logger
    ) async throws -> (chatID: Int64, created: Bool)

    /// The chat with this id, if any.
    func chat(id: Int64, logger: Logger) async throws -> Chat?

    /// A page of the chat's messages, newest first.
    func messages(chatID: Int64, limit: Int, offset: Int, logger: Logger) async throws -> [Message]

    /// Appends a message.
    /// - Throws: ``ChatError/answerNotInChat`` when `answerID` is not a message of this chat.
    func append(chatID: Int64, ownerID: Int64, text: String, answerID: Int64?, logger: Logger) async throws -> Message

    /// The chats `userID` is a member of, most recently active first.
    func chats(of userID: Int64, logger: Logger) async throws -> [Chat]
}
