import Foundation
import Logging
import PostgresNIO
import Shared

/// Chats and messages, on PostgreSQL (schema `chat`).
public struct PostgresChatStore: Sendable {
    let client: PostgresClient
    let known: KnownChats

    /// - Parameter knownChats: how many chats to keep in memory once read (see ``KnownChats``).
    public init(client: PostgresClient, knownChats: Int = 100_000) {
        self.client = client
        known = KnownChats(capacity: knownChats)
    }

    /// The chat between the two users, created if there is none; with `firstText`, also a first message
    /// from `starterID`, in the same transaction.
    /// - Returns: the chat's id and whether this call created it.
    public func startChat(
        starterID: Int64,
        recipientID: Int64,
        firstText: String?,
        logger: Logger
    ) async throws
        -> (chatID: Int64, created: Bool)
    {
        try await client.inTransaction(logger: logger) { connection in
            // The pair index makes a concurrent second start find the first one's chat instead of a duplicate.
            var chatID: Int64?
            let inserted = try await connection.query(
                """
                INSERT INTO chat.chats (starter_id, recipient_id) VALUES (\(starterID), \(recipientID))
                ON CONFLICT ((LEAST(starter_id, recipient_id)), (GREATEST(starter_id, recipient_id))) DO NOTHING
                RETURNING id
                """,
                logger: logger
            )
            for try await id in inserted.decode(Int64.self) { chatID = id }
            let created = chatID != nil
            if chatID == nil {
                let existing = try await connection.query(
                    """
                    SELECT id FROM chat.chats
                    WHERE LEAST(starter_id, recipient_id) = LEAST(\(starterID), \(recipientID))
                      AND GREATEST(starter_id, recipient_id) = GREATEST(\(starterID), \(recipientID))
                    """,
                    logger: logger
                )
                for try await id in existing.decode(Int64.self) { chatID = id }
            }
            guard let chatID else { throw ChatError.chatNotFound }
            if let firstText {
                try await Self.insertMessage(
                    on: connection,
                    chatID: chatID,
                    ownerID: starterID,
                    text: firstText,
                    answerID: nil,
                    logger: logger
                )
            }
            return (chatID, created)
        }
    }

    /// The chat with this id, if any.
    public func chat(id: Int64, logger: Logger) async throws -> Chat? {
        if let chat = known.chat(id: id) { return chat }
        for try await chat in try await client.execute(ChatStatements.ChatByID(id: id), logger: logger) {
            known.remember(chat)
            return chat
        }
        return nil
    }

    /// A page of the chat's messages, newest first.
    public func messages(chatID: Int64, limit: Int, offset: Int, logger: Logger) async throws -> [Message] {
        let page = ChatStatements.MessagePage(chatID: chatID, limit: Int64(limit), offset: Int64(offset))
        var result: [Message] = []
        result.reserveCapacity(min(limit, ChatRules.limitRange.upperBound))
        for try await message in try await client.execute(page, logger: logger) {
            result.append(message)
        }
        return result
    }

    public func append(
        chatID: Int64,
        ownerID: Int64,
        text: String,
        answerID: Int64?,
        logger: Logger
    ) async throws -> Message {
        try await client.inTransaction(logger: logger) { connection in
            if let answerID {
                let rows = try await connection.query(
                    "SELECT 1 FROM chat.messages WHERE id = \(answerID) AND chat_id = \(chatID)",
                    logger: logger
                )
                var found = false
                for try await _ in rows { found = true }
                guard found else { throw ChatError.answerNotInChat }
            }
            return try await Self.insertMessage(
                on: connection,
                chatID: chatID,
                ownerID: ownerID,
                text: text,
                answerID: answerID,
                logger: logger
            )
        }
    }

    /// The chats `userID` is a member of, most recently active first.
    public func chats(of userID: Int64, logger: Logger) async throws -> [Chat] {
        var result: [Chat] = []
        for try await chat in try await client.execute(ChatStatements.ChatsOfUser(userID: userID), logger: logger) {
            result.append(chat)
        }
        return result
    }

    @discardableResult
    static func insertMessage(
        on connection: PostgresConnection,
        chatID: Int64,
        ownerID: Int64,
        text: String,
        answerID: Int64?,
        logger: Logger
    ) async throws -> Message {
        let rows = try await connection.query(
            """
            INSERT INTO chat.messages (chat_id, owner_id, text, answer_id)
            VALUES (\(chatID), \(ownerID), \(text), \(answerID))
            RETURNING id, created_at
            """,
            logger: logger
        )
        var message: Message?
        for try await (id, created) in rows.decode((Int64, Date).self) {
            message = Message(
                id: id,
                chatID: chatID,
                ownerID: ownerID,
                text: text,
                answerID: answerID,
                createdAt: created
            )
        }
        try await connection.query(
            "UPDATE chat.chats SET last_activity_at = now() WHERE id = \(chatID)",
            logger: logger
        )
        guard let message else { throw ChatError.chatNotFound }
        return message
    }
}
