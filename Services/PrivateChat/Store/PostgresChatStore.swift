import Foundation
import HTTPTypes
import Logging
import PostgresNIO
import Shared

/// Chats, their members and their messages, on PostgreSQL (schema `chat`).
///
/// Every read and write that needs membership checks it in its own statement (``ChatStatements``), so
/// no cache of members exists to go stale: a member removed on one instance is refused by every
/// instance at once.
public struct PostgresChatStore: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The chat between the two users, created (with both as members) if there is none; with
    /// `firstText`, also a first message from `starterID`, in the same transaction, with their events: a
    /// new chat's `CHAT_CREATE` to each member (their own chat-list row: the peer differs), then the
    /// message's `MESSAGE_CREATE`.
    /// - Parameter names: both users' summaries (the peers and the message's owner in the events).
    /// - Returns: the chat's id and whether this call created it.
    public func startChat(
        starterID: Int64,
        recipientID: Int64,
        firstText: String?,
        names: Names,
        logger: Logger
    ) async throws -> (chatID: Int64, created: Bool) {
        try await client.inTransaction(logger: logger) { connection in
            // The pair index makes a concurrent second start find the first one's chat instead of a duplicate.
            var chatID: Int64?
            let inserted = try await connection.query(
                """
                INSERT INTO chat.chats (starter_id, recipient_id) VALUES (\(starterID), \(recipientID))
                ON CONFLICT ((LEAST(starter_id, recipient_id)), (GREATEST(starter_id, recipient_id)))
                WHERE kind = 'private' DO NOTHING
                RETURNING id
                """,
                logger: logger
            )
            for try await id in inserted.decode(Int64.self) { chatID = id }
            let created = chatID != nil
            if let chatID {
                try await connection.query(
                    """
                    INSERT INTO chat.members (chat_id, user_id) VALUES (\(chatID), \(starterID)), (\(chatID), \(recipientID))
                    """,
                    logger: logger
                )
            } else {
                let existing = try await connection.query(
                    """
                    SELECT id FROM chat.chats
                    WHERE kind = 'private' AND LEAST(starter_id, recipient_id) = LEAST(\(starterID), \(recipientID))
                      AND GREATEST(starter_id, recipient_id) = GREATEST(\(starterID), \(recipientID))
                    """,
                    logger: logger
                )
                for try await id in existing.decode(Int64.self) { chatID = id }
            }
            guard let chatID else { throw ChatError.chatNotFound }
            var posted: StoredMessage?
            if let firstText {
                // A message in an existing chat takes its turn like any other post (``ChatStatements/Post``
                // locks the chat's row first): its id then follows the chat's commit order.
                if !created {
                    try await connection.query(
                        "SELECT id FROM chat.chats WHERE id = \(chatID) FOR NO KEY UPDATE",
                        logger: logger
                    )
                }
                posted = try await Self.insertMessage(
                    on: connection,
                    chatID: chatID,
                    ownerID: starterID,
                    text: firstText,
                    logger: logger
                )
            }
            var events: [OutboxEvent] = []
            if created {
                events += try await Self.chatCreated(
                    chatID,
                    for: [starterID, recipientID],
                    names: names,
                    on: connection,
                    logger: logger
                )
            }
            if let posted { events.append(ChatEvents.messageCreated(posted, owner: Self.summary(starterID, names))) }
            try await connection.append(events, logger: logger)
            return (chatID, created)
        }
    }

    /// The chat `chatID` and `userID`'s membership of it; `nil` when there is no such chat.
    func access(chatID: Int64, userID: Int64, logger: Logger) async throws -> ChatAccess? {
        for try await access in try await client.execute(
            ChatStatements.Access(chatID: chatID, userID: userID),
            logger: logger
        ) {
            return access
        }
        return nil
    }

    /// The chat `chatID` if `userID` is a member of it.
    /// - Throws: ``ChatError/chatNotFound`` or ``ChatError/notAMember``.
    func memberAccess(chatID: Int64, userID: Int64, logger: Logger) async throws -> (chat: Chat, member: ChatMember) {
        guard let access = try await access(chatID: chatID, userID: userID, logger: logger) else {
            throw ChatError.chatNotFound
        }
        guard let member = access.member else { throw ChatError.notAMember }
        return (access.chat, member)
    }

    /// A page of at most `limit` of the chat's messages, newest first, read by member `userID`, and
    /// whether more lie beyond it (older for `offset` and `before`, newer for `after`, either for `around`).
    /// - Throws: ``ChatError/chatNotFound`` or ``ChatError/notAMember`` (checked in the same statement;
    ///   only an empty page costs a second one, to tell why).
    public func messages(
        chatID: Int64,
        userID: Int64,
        limit: Int,
        page: MessagePageQuery,
        logger: Logger
    ) async throws -> (messages: [Message], hasMore: Bool) {
        let result: (messages: [Message], hasMore: Bool)
        switch page {
        case .offset(let offset):
            let statement = ChatStatements.MessagePage(
                chatID: chatID,
                userID: userID,
                limit: Int64(limit + 1),
                offset: Int64(offset)
            )
            result = Self.trimmed(try await collect(statement, capacity: limit + 1, logger: logger), to: limit)
        case .before(let id):
            result = try await cursorPage(ChatStatements.MessagesBefore.self, id, chatID, userID, limit, logger)
        case .after(let id):
            let newer = try await cursorPage(ChatStatements.MessagesAfter.self, id, chatID, userID, limit, logger)
            result = (newer.messages.reversed(), newer.hasMore)
        case .around(let id):
            // The message itself and older ones fill the first half, newer ones the rest.
            let olderCount = (limit + 1) / 2
            let through = id < Int64.max ? id + 1 : id
            let older = try await cursorPage(
                ChatStatements.MessagesBefore.self,
                through,
                chatID,
                userID,
                olderCount,
                logger
            )
            let newer = try await cursorPage(
                ChatStatements.MessagesAfter.self,
                id,
                chatID,
                userID,
                limit - olderCount,
                logger
            )
            result = (newer.messages.reversed() + older.messages, older.hasMore || newer.hasMore)
        }
        if result.messages.isEmpty { _ = try await memberAccess(chatID: chatID, userID: userID, logger: logger) }
        return result
    }

    /// Up to `limit` messages of `Page` from the message `id`: older ones newest first (`MessagesBefore`),
    /// or newer ones oldest first (`MessagesAfter`). One more is read, to tell whether there are more
    /// (with `limit` 0, only that).
    func cursorPage<Page: CursorPage>(
        _ page: Page.Type,
        _ id: Int64,
        _ chatID: Int64,
        _ userID: Int64,
        _ limit: Int,
        _ logger: Logger
    ) async throws -> (messages: [Message], hasMore: Bool) {
        let statement = Page(chatID: chatID, userID: userID, messageID: id, limit: Int64(limit + 1))
        return Self.trimmed(try await collect(statement, capacity: limit + 1, logger: logger), to: limit)
    }

    /// The rows of `statement`.
    func collect<Statement: PostgresPreparedStatement>(
        _ statement: Statement,
        capacity: Int,
        logger: Logger
    ) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        rows.reserveCapacity(min(capacity, 256))
        for try await row in try await client.execute(statement, logger: logger) { rows.append(row) }
        return rows
    }

    /// The first `limit` of `rows` (one more was asked for), and whether there were more.
    static func trimmed(_ rows: [Message], to limit: Int) -> (messages: [Message], hasMore: Bool) {
        rows.count > limit ? (Array(rows.prefix(limit)), true) : (rows, false)
    }

    /// Moves `userID`'s read marker of the chat forward to `messageID` (never back) and, when it moved,
    /// writes `READ_STATE_UPDATE` to the chat's members, in one statement.
    /// - Returns: the marker now.
    /// - Throws: ``ChatError/chatNotFound``, ``ChatError/notAMember`` or ``ChatError/messageNotInChat``.
    public func markRead(chatID: Int64, userID: Int64, messageID: Int64, logger: Logger) async throws -> Int64 {
        let statement = ChatStatements.MarkRead(
            chatID: chatID,
            userID: userID,
            messageID: messageID,
            payload: ChatEvents.readStatePayload(chatID, userID, messageID)
        )
        if let row = try await collect(statement, capacity: 1, logger: logger).first {
            guard row.messageInChat else { throw ChatError.messageNotInChat }
            return row.moved ? messageID : max(row.marker, messageID)
        }
        _ = try await memberAccess(chatID: chatID, userID: userID, logger: logger)
        throw ChatError.messageNotInChat
    }

    /// Moves `userID`'s read marker of the chat past its newest message and, when it moved, writes
    /// `READ_STATE_UPDATE` to the chat's members, in one transaction.
    /// - Returns: the marker now.
    /// - Throws: ``ChatError/chatNotFound`` or ``ChatError/notAMember``.
    public func markAllRead(chatID: Int64, userID: Int64, logger: Logger) async throws -> Int64 {
        let marker = try await client.inTransaction(logger: logger) { connection -> Int64? in
            let statement = ChatStatements.MarkAllRead(chatID: chatID, userID: userID)
            guard let row = try await Self.rows(of: statement, on: connection, logger: logger).first else {
                return nil
            }
            guard let moved = row.moved else { return max(row.before, row.newest) }
            let event = ChatEvents.readStateUpdated(
                chatID: chatID,
                userID: userID,
                marker: moved,
                recipients: row.members
            )
            try await connection.append([event], logger: logger)
            return moved
        }
        if let marker { return marker }
        _ = try await memberAccess(chatID: chatID, userID: userID, logger: logger)
        throw ChatError.notAMember
    }

    /// Posts a message by member `ownerID`, moving the chat's activity time and the author's read marker,
    /// and writes its `MESSAGE_CREATE` to the chat's members, in one statement that first locks the chat
    /// (``ChatStatements/Post``). A `nonce` the author already sent stores nothing and writes no event: the
    /// first message's id is returned.
    /// - Parameters:
    ///   - owner: the author's summary, the `message_owner` of the event.
    ///   - session: the gateway session that sent it (`X-Gateway-Session`): with a `nonce`, the event's
    ///     origin, so that connection gets the nonce echoed.
    /// - Returns: the message's id, and whether this call stored it (`false`: a retried nonce).
    /// - Throws: ``ChatError/chatNotFound``, ``ChatError/notAMember`` or ``ChatError/answerNotInChat``.
    public func post(
        chatID: Int64,
        ownerID: Int64,
        text: String,
        answerID: Int64?,
        mentions: [Int64] = [],
        nonce: String? = nil,
        session: String? = nil,
        owner: UserSummary,
        logger: Logger
    ) async throws -> (id: Int64, stored: Bool) {
        guard
            let template = MessageEventTemplate(
                chatID: chatID,
                ownerID: ownerID,
                text: text,
                answerID: answerID,
                owner: owner
            )
        else {
            // MessageOutput always writes the id first and then `"created_at":"`; this cannot happen.
            throw APIError(.internalServerError, detail: "The message could not be written")
        }
        let statement = ChatStatements.Post(
            chatID: chatID,
            ownerID: ownerID,
            text: text,
            answerID: answerID,
            mentions: mentions,
            nonce: nonce,
            template: template,
            originSession: session
        )
        for try await id in try await client.execute(statement, logger: logger) { return (id, true) }
        return (try await refusedPost(chatID, ownerID, nonce, logger: logger), false)
    }

    /// Why ``ChatStatements/Post`` stored nothing: the id of the author's message with `nonce` (a retry),
    /// else the error (no chat, not a member, or the answered message is elsewhere).
    func refusedPost(_ chatID: Int64, _ ownerID: Int64, _ nonce: String?, logger: Logger) async throws -> Int64 {
        _ = try await memberAccess(chatID: chatID, userID: ownerID, logger: logger)
        if let nonce {
            let rows = try await client.query(
                "SELECT id FROM chat.messages WHERE owner_id = \(ownerID) AND nonce = \(nonce)",
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return id }
        }
        throw ChatError.answerNotInChat
    }

    /// A page of at most `limit` of `userID`'s chats, most recently active first, after `cursor`, and
    /// whether more follow.
    public func chatList(
        of userID: Int64,
        limit: Int,
        after cursor: ChatListCursor?,
        logger: Logger
    ) async throws -> (chats: [ChatSummary], hasMore: Bool) {
        let statement = ChatStatements.ChatList(userID: userID, limit: Int64(limit + 1), cursor: cursor)
        let rows: [ChatSummary]
        do {
            rows = try await collect(statement, capacity: limit + 1, logger: logger)
        } catch  where cursor != nil && DatabaseError.isDataException(error) {
            // A well-formed cursor time PostgreSQL cannot read (month 13, February 30).
            throw ChatError.invalidListCursor
        }
        return rows.count > limit ? (Array(rows.prefix(limit)), true) : (rows, false)
    }

    /// The ids of the members of chat `chatID`.
    public func memberIDs(of chatID: Int64, logger: Logger) async throws -> [Int64] {
        let rows = try await client.query(
            "SELECT user_id FROM chat.members WHERE chat_id = \(chatID)",
            logger: logger
        )
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        return ids
    }

    /// The ids of the users who share at least one chat with `userID`, without `userID`, ascending.
    public func contactIDs(of userID: Int64, logger: Logger) async throws -> [Int64] {
        let rows = try await client.query(
            """
            SELECT DISTINCT other.user_id FROM chat.members mine
            JOIN chat.members other ON other.chat_id = mine.chat_id AND other.user_id <> mine.user_id
            WHERE mine.user_id = \(userID)
            ORDER BY other.user_id
            """,
            logger: logger
        )
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        return ids
    }

    /// The ids of the chats `userID` is a member of, most recently active first.
    public func chats(of userID: Int64, logger: Logger) async throws -> [Int64] {
        var result: [Int64] = []
        for try await id in try await client.execute(ChatStatements.ChatsOfUser(userID: userID), logger: logger) {
            result.append(id)
        }
        return result
    }

    /// The chat and its members (oldest first) if `userID` is one of them.
    /// - Throws: ``ChatError/chatNotFound`` or ``ChatError/notAMember``.
    public func chatWithMembers(
        chatID: Int64,
        userID: Int64,
        logger: Logger
    ) async throws -> (chat: Chat, members: [ChatMember]) {
        let rows = try await client.query(
            """
            SELECT c.id, c.kind, c.starter_id, c.recipient_id, c.title, c.created_at,
                   mem.user_id, mem.role, mem.last_read_message_id, mem.joined_at
            FROM chat.chats c LEFT JOIN chat.members mem ON mem.chat_id = c.id
            WHERE c.id = \(chatID)
            ORDER BY mem.joined_at, mem.user_id
            """,
            logger: logger
        )
        var chat: Chat?
        var members: [ChatMember] = []
        for try await row in rows {
            var columns = ColumnReader(row)
            chat = try Chat(reading: &columns)
            if let member = try Self.member(reading: &columns) { members.append(member) }
        }
        guard let chat else { throw ChatError.chatNotFound }
        guard members.contains(where: { $0.userID == userID }) else { throw ChatError.notAMember }
        return (chat, members)
    }

    /// A member from the next columns `user_id, role, last_read_message_id, joined_at` (`nil` when NULL).
    static func member(reading columns: inout ColumnReader) throws -> ChatMember? {
        let userID: Int64? = try columns.next()
        let role: String? = try columns.next()
        let lastRead: Int64? = try columns.next()
        let joinedAt: Date? = try columns.next()
        guard let userID, let role, let role = ChatRole(rawValue: role), let lastRead, let joinedAt else { return nil }
        return ChatMember(userID: userID, role: role, lastReadMessageID: lastRead, joinedAt: joinedAt)
    }

    /// Inserts a message (a member's, or a system message with its `event`) inside a transaction and
    /// moves the chat's activity time and the author's read marker past it, in one statement.
    /// - Returns: the message as stored (`data` as PostgreSQL spells the `jsonb`, as pages list it) and the
    ///   chat's members at that moment, oldest first, with their roles.
    @discardableResult
    static func insertMessage(
        on connection: PostgresConnection,
        chatID: Int64,
        ownerID: Int64,
        text: String,
        event: SystemEvent.Kind? = nil,
        data: String? = nil,
        logger: Logger
    ) async throws -> StoredMessage {
        let type = event?.rawValue ?? Message.defaultType
        let rows = try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO chat.messages (chat_id, owner_id, text, type, data)
                VALUES (\(chatID), \(ownerID), \(text), \(type), \(data)::jsonb)
                RETURNING id, created_at, data::text AS data
            ), touched AS (
                UPDATE chat.chats SET last_activity_at = now() WHERE id = \(chatID)
            ), marked AS (
                UPDATE chat.members SET last_read_message_id = (SELECT id FROM inserted)
                WHERE chat_id = \(chatID) AND user_id = \(ownerID) AND last_read_message_id < (SELECT id FROM inserted)
            )
            SELECT i.id, i.created_at, i.data,
                   ARRAY(SELECT user_id FROM chat.members WHERE chat_id = \(chatID) ORDER BY joined_at, user_id),
                   ARRAY(SELECT role FROM chat.members WHERE chat_id = \(chatID) ORDER BY joined_at, user_id)
            FROM inserted i
            """,
            logger: logger
        )
        var stored: StoredMessage?
        for try await row in rows {
            var columns = ColumnReader(row)
            let message = Message(
                id: try columns.next(),
                chatID: chatID,
                ownerID: ownerID,
                text: text,
                answerID: nil,
                createdAt: try columns.next(),
                type: type,
                data: try columns.next()
            )
            let members: [Int64] = try columns.next()
            let roles: [String] = try columns.next()
            stored = StoredMessage(
                message: message,
                memberIDs: members,
                roles: roles.map { ChatRole(rawValue: $0) ?? .member }
            )
        }
        guard let stored else { throw ChatError.chatNotFound }
        return stored
    }

    /// The `CHAT_CREATE` events of chat `chatID` for `userIDs`: each one's chat-list row of it, read on the
    /// transaction's connection (``ChatStatements/ChatListRows``).
    static func chatCreated(
        _ chatID: Int64,
        for userIDs: [Int64],
        names: Names,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [OutboxEvent] {
        let statement = ChatStatements.ChatListRows(chatID: chatID, userIDs: userIDs)
        return ChatEvents.chatCreated(try await rows(of: statement, on: connection, logger: logger), names: names)
    }

    /// All rows of `statement`, run on `connection` (in its transaction).
    static func rows<Statement: PostgresPreparedStatement>(
        of statement: Statement,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
        return rows
    }
}
