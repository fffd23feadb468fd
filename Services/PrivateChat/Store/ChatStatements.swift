import Foundation
import PostgresNIO
import Shared

/// The prepared statements of the paths every page view takes: prepared once per connection, so
/// PostgreSQL does not parse and plan them again for each request (planning took longer than running
/// these index lookups). Each checks the caller's membership itself, so a request costs one round trip
/// and a removed member is refused by the very statement that would have served them (posting, which
/// writes its event in the same statement: ``Post``).
enum ChatStatements {
    /// A chat by id with the caller's membership, if any (`role` is NULL for a non-member).
    struct Access: PostgresPreparedStatement {
        static let sql = """
            SELECT c.id, c.kind, c.starter_id, c.recipient_id, c.title, c.created_at,
                   mem.role, mem.last_read_message_id, mem.joined_at
            FROM chat.chats c LEFT JOIN chat.members mem ON mem.chat_id = c.id AND mem.user_id = $2
            WHERE c.id = $1
            """
        var chatID: Int64
        var userID: Int64

        func makeBindings() throws -> PostgresBindings { ChatStatements.bindings(chatID, userID) }

        func decodeRow(_ row: PostgresRow) throws -> ChatAccess {
            var columns = ColumnReader(row)
            let chat = try Chat(reading: &columns)
            let role: String? = try columns.next()
            let lastRead: Int64? = try columns.next()
            let joinedAt: Date? = try columns.next()
            guard let role, let role = ChatRole(rawValue: role), let lastRead, let joinedAt else {
                return ChatAccess(chat: chat, member: nil)
            }
            return ChatAccess(
                chat: chat,
                member: ChatMember(userID: userID, role: role, lastReadMessageID: lastRead, joinedAt: joinedAt)
            )
        }
    }

    /// The messages before the id `$3` (older), newest first, if the caller is a member.
    struct MessagesBefore: CursorPage {
        static let sql = """
            SELECT id, chat_id, owner_id, text, answer_id, created_at, type, data::text, edited_at
            FROM chat.messages
            WHERE chat_id = $1 AND id < $3 AND EXISTS (SELECT 1 FROM chat.members WHERE chat_id = $1 AND user_id = $2)
            ORDER BY id DESC LIMIT $4
            """
        var chatID: Int64
        var userID: Int64
        var messageID: Int64
        var limit: Int64
    }

    /// The messages after the id `$3` (newer), oldest first, if the caller is a member.
    struct MessagesAfter: CursorPage {
        static let sql = """
            SELECT id, chat_id, owner_id, text, answer_id, created_at, type, data::text, edited_at
            FROM chat.messages
            WHERE chat_id = $1 AND id > $3 AND EXISTS (SELECT 1 FROM chat.members WHERE chat_id = $1 AND user_id = $2)
            ORDER BY id ASC LIMIT $4
            """
        var chatID: Int64
        var userID: Int64
        var messageID: Int64
        var limit: Int64
    }

    /// A page of a chat's messages, newest first, if the caller is a member (no rows otherwise).
    struct MessagePage: PostgresPreparedStatement {
        static let sql = """
            SELECT id, chat_id, owner_id, text, answer_id, created_at, type, data::text, edited_at
            FROM chat.messages
            WHERE chat_id = $1 AND EXISTS (SELECT 1 FROM chat.members WHERE chat_id = $1 AND user_id = $2)
            ORDER BY id DESC LIMIT $3 OFFSET $4
            """
        var chatID: Int64
        var userID: Int64
        var limit: Int64
        var offset: Int64

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(chatID)
            bindings.append(userID)
            bindings.append(limit)
            bindings.append(offset)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Message { try Message(row) }
    }

    /// Moves member `$2`'s read marker of chat `$1` forward to the message `$3` of that chat (never back)
    /// and, when it moved, appends the `READ_STATE_UPDATE` (type `$4`, payload `$5`) for the chat's members
    /// to the outbox, in the same statement. The row: the marker the statement started from, whether it
    /// moved, and whether `$3` is a message of the chat. No row: not a member.
    struct MarkRead: PostgresPreparedStatement {
        static let sql = """
            WITH moved AS (
                UPDATE chat.members SET last_read_message_id = $3
                WHERE chat_id = $1 AND user_id = $2 AND last_read_message_id < $3
                  AND EXISTS (SELECT 1 FROM chat.messages WHERE id = $3 AND chat_id = $1)
                RETURNING last_read_message_id
            ), appended AS (
                INSERT INTO events.outbox (type, recipients, payload)
                SELECT $4, ARRAY(SELECT user_id FROM chat.members WHERE chat_id = $1 ORDER BY user_id), $5
                FROM moved
            )
            SELECT mem.last_read_message_id, EXISTS (SELECT 1 FROM moved),
                   EXISTS (SELECT 1 FROM chat.messages WHERE id = $3 AND chat_id = $1)
            FROM chat.members mem WHERE mem.chat_id = $1 AND mem.user_id = $2
            """
        var chatID: Int64
        var userID: Int64
        var messageID: Int64
        /// The event's payload, written by ``ChatEvents`` (used only when the marker moves).
        var payload: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(chatID)
            bindings.append(userID)
            bindings.append(messageID)
            bindings.append(EventType.readStateUpdate.rawValue)
            bindings.append(payload)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (marker: Int64, moved: Bool, messageInChat: Bool) {
            var columns = ColumnReader(row)
            return (try columns.next(), try columns.next(), try columns.next())
        }
    }

    /// Moves member `$2`'s read marker of chat `$1` past its newest message. The row: the marker before,
    /// the newest message's id (0: none), the marker if it moved, and the chat's members. No row: not a
    /// member.
    struct MarkAllRead: PostgresPreparedStatement {
        static let sql = """
            WITH newest AS (
                SELECT COALESCE(max(id), 0) AS id FROM chat.messages WHERE chat_id = $1
            ), moved AS (
                UPDATE chat.members mem SET last_read_message_id = newest.id FROM newest
                WHERE mem.chat_id = $1 AND mem.user_id = $2 AND mem.last_read_message_id < newest.id
                RETURNING mem.last_read_message_id
            )
            SELECT mem.last_read_message_id, (SELECT id FROM newest), (SELECT last_read_message_id FROM moved),
                   ARRAY(SELECT user_id FROM chat.members WHERE chat_id = $1 ORDER BY user_id)
            FROM chat.members mem WHERE mem.chat_id = $1 AND mem.user_id = $2
            """
        var chatID: Int64
        var userID: Int64

        func makeBindings() throws -> PostgresBindings { ChatStatements.bindings(chatID, userID) }

        func decodeRow(_ row: PostgresRow) throws -> (before: Int64, newest: Int64, moved: Int64?, members: [Int64]) {
            var columns = ColumnReader(row)
            return (try columns.next(), try columns.next(), try columns.next(), try columns.next())
        }
    }

    /// Chat-list rows: for each row of `page` (the columns `viewer, id, kind, title, starter_id,
    /// recipient_id, last_activity_at, last_read_message_id` of a chat and the member `viewer` whose row it
    /// is), the chat as that member's chat list shows it, most recently active first. The page is chosen
    /// first, and only its rows get their last message and counts. Shared by ``ChatList`` and
    /// ``ChatListRows``, so a chat's `CHAT_CREATE` event carries exactly the row the list answers.
    static func chatListSQL(page: String) -> String {
        """
        WITH page AS (
        \(page)
        )
        SELECT c.viewer, c.id, c.kind, c.title,
               CASE WHEN c.kind = 'private'
                    THEN CASE WHEN c.starter_id = c.viewer THEN c.recipient_id ELSE c.starter_id END END,
               (SELECT count(*) FROM chat.members x WHERE x.chat_id = c.id),
               to_char(c.last_activity_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               counts.unread, counts.mentions,
               lm.id, lm.chat_id, lm.owner_id, lm.text, lm.answer_id, lm.created_at, lm.type, lm.data::text,
               lm.edited_at
        FROM page c
        LEFT JOIN LATERAL (
            SELECT m.* FROM chat.messages m WHERE m.chat_id = c.id ORDER BY m.id DESC LIMIT 1
        ) lm ON true
        LEFT JOIN LATERAL (
            SELECT count(*) AS unread, count(*) FILTER (WHERE c.viewer = ANY (u.mentions)) AS mentions
            FROM chat.messages u
            WHERE u.chat_id = c.id AND u.id > c.last_read_message_id AND u.owner_id <> c.viewer AND u.type = 'default'
        ) counts ON true
        ORDER BY c.last_activity_at DESC, c.id DESC
        """
    }

    /// A page of a user's chat list, most recently active first, after the cursor `$3`/`$4` if given:
    /// everything but user names in one statement, whatever the number of chats.
    struct ChatList: PostgresPreparedStatement {
        static let sql = ChatStatements.chatListSQL(
            page: """
                SELECT mem.user_id AS viewer, c.id, c.kind, c.title, c.starter_id, c.recipient_id,
                       c.last_activity_at, mem.last_read_message_id
                FROM chat.members mem JOIN chat.chats c ON c.id = mem.chat_id
                WHERE mem.user_id = $1
                  AND ($3::text IS NULL OR (c.last_activity_at, c.id) < ($3::text::timestamptz, $4::bigint))
                ORDER BY c.last_activity_at DESC, c.id DESC
                LIMIT $2
                """
        )
        var userID: Int64
        var limit: Int64
        var cursor: ChatListCursor?

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(userID)
            bindings.append(limit)
            bindings.append(cursor?.lastActivityAt)
            bindings.append(cursor?.id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> ChatSummary { try ChatStatements.chatListRow(row).chat }
    }

    /// The chat-list row of chat `$1` of each of the members `$2`: what ``ChatList`` answers them for it.
    struct ChatListRows: PostgresPreparedStatement {
        static let sql = ChatStatements.chatListSQL(
            page: """
                SELECT mem.user_id AS viewer, c.id, c.kind, c.title, c.starter_id, c.recipient_id,
                       c.last_activity_at, mem.last_read_message_id
                FROM chat.members mem JOIN chat.chats c ON c.id = mem.chat_id
                WHERE mem.chat_id = $1 AND mem.user_id = ANY ($2)
                """
        )
        var chatID: Int64
        var userIDs: [Int64]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(chatID)
            bindings.append(userIDs)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (userID: Int64, chat: ChatSummary) {
            try ChatStatements.chatListRow(row)
        }
    }

    /// A row of ``chatListSQL(page:)``: whose row it is, and the chat as their list shows it.
    static func chatListRow(_ row: PostgresRow) throws -> (userID: Int64, chat: ChatSummary) {
        var columns = ColumnReader(row)
        let viewer: Int64 = try columns.next()
        let id: Int64 = try columns.next()
        let kind: String = try columns.next()
        let title: String? = try columns.next()
        let peerID: Int64? = try columns.next()
        let memberCount: Int64 = try columns.next()
        let lastActivityAt: String = try columns.next()
        let unread: Int64 = try columns.next()
        let mentions: Int64 = try columns.next()
        let messageID: Int64? = try columns.next()
        let chatID: Int64? = try columns.next()
        let ownerID: Int64? = try columns.next()
        let text: String? = try columns.next()
        let answerID: Int64? = try columns.next()
        let createdAt: Date? = try columns.next()
        let type: String? = try columns.next()
        let data: String? = try columns.next()
        let editedAt: Date? = try columns.next()
        var last: Message?
        if let messageID, let chatID, let ownerID, let text, let createdAt, let type {
            last = Message(
                id: messageID,
                chatID: chatID,
                ownerID: ownerID,
                text: text,
                answerID: answerID,
                createdAt: createdAt,
                type: type,
                data: data,
                editedAt: editedAt
            )
        }
        let chat = ChatSummary(
            id: id,
            kind: ChatKind(rawValue: kind) ?? .private,
            title: title,
            peerID: peerID,
            memberCount: memberCount,
            lastMessage: last,
            unreadCount: unread,
            mentionCount: mentions,
            lastActivityAt: lastActivityAt
        )
        return (viewer, chat)
    }

    /// A user's chats, most recently active first.
    struct ChatsOfUser: PostgresPreparedStatement {
        static let sql = """
            SELECT c.id FROM chat.members mem JOIN chat.chats c ON c.id = mem.chat_id
            WHERE mem.user_id = $1
            ORDER BY c.last_activity_at DESC, c.id DESC
            """
        var userID: Int64

        func makeBindings() throws -> PostgresBindings { ChatStatements.bindings(userID) }
        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// Posts a message, and its `MESSAGE_CREATE`, in one statement: the chat's row is locked first (`locked`,
    /// which everything else depends on), so message and outbox ids are taken in the chat's commit order (a
    /// client's `after=<id>` catch-up never misses a message that commits late). The author's membership
    /// and the recipients are read with `FOR KEY SHARE`, which waits for a removal in flight and then skips
    /// the removed row: a member removed meanwhile can neither post nor receive the message after their
    /// `CHAT_MEMBER_REMOVE`. The event's payload is assembled from ``MessageEventTemplate``'s parts around
    /// the new id and time. Also moves the chat's activity time and the author's read marker. The row: the
    /// message's id. No row: refused (no chat, not a member, the answer elsewhere) or a retried `nonce`.
    struct Post: PostgresPreparedStatement {
        static let sql = """
            WITH locked AS (
                SELECT id FROM chat.chats WHERE id = $1 FOR NO KEY UPDATE
            ), author AS (
                SELECT m.user_id FROM chat.members m JOIN locked ON locked.id = m.chat_id
                WHERE m.user_id = $2 FOR KEY SHARE OF m
            ), inserted AS (
                INSERT INTO chat.messages (chat_id, owner_id, text, answer_id, mentions, nonce)
                SELECT $1, $2, $3, $4, $5, $6 FROM author
                WHERE $4::bigint IS NULL OR EXISTS (SELECT 1 FROM chat.messages WHERE id = $4 AND chat_id = $1)
                ON CONFLICT (owner_id, nonce) WHERE nonce IS NOT NULL DO NOTHING
                RETURNING id, created_at
            ), recipients AS (
                SELECT array_agg(r.user_id ORDER BY r.user_id) AS ids FROM (
                    SELECT m.user_id FROM chat.members m
                    WHERE m.chat_id = $1 AND EXISTS (SELECT 1 FROM inserted) FOR KEY SHARE
                ) r
            ), touched AS (
                UPDATE chat.chats SET last_activity_at = now()
                WHERE id = $1 AND EXISTS (SELECT 1 FROM inserted)
            ), marked AS (
                UPDATE chat.members SET last_read_message_id = GREATEST(last_read_message_id, (SELECT id FROM inserted))
                WHERE chat_id = $1 AND user_id = $2 AND EXISTS (SELECT 1 FROM inserted)
            ), evented AS (
                INSERT INTO events.outbox (type, recipients, payload, origin_session, nonce)
                SELECT 'MESSAGE_CREATE', r.ids,
                       '{"id":' || i.id || $7 || to_char(i.created_at AT TIME ZONE 'UTC', '\(MessageEventTemplate.timeFormat)') || $8,
                       $9, CASE WHEN $9::text IS NULL THEN NULL ELSE $6 END
                FROM inserted i, recipients r
            )
            SELECT id FROM inserted
            """
        var chatID: Int64
        var ownerID: Int64
        var text: String
        var answerID: Int64?
        var mentions: [Int64]
        var nonce: String?
        var template: MessageEventTemplate
        /// The gateway session owed the nonce (`X-Gateway-Session`), only with a nonce.
        var originSession: String?

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 9)
            bindings.append(chatID)
            bindings.append(ownerID)
            bindings.append(text)
            bindings.append(answerID)
            bindings.append(mentions)
            bindings.append(nonce)
            bindings.append(template.afterID)
            bindings.append(template.afterTime)
            bindings.append(nonce == nil ? nil : originSession)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// The bindings of a statement whose parameters are `values`.
    static func bindings(_ values: Int64...) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return bindings
    }
}

/// A statement of a page of messages from a cursor: chat, caller, message id, limit.
protocol CursorPage: PostgresPreparedStatement where Row == Message {
    init(chatID: Int64, userID: Int64, messageID: Int64, limit: Int64)
    var chatID: Int64 { get }
    var userID: Int64 { get }
    var messageID: Int64 { get }
    var limit: Int64 { get }
}

extension CursorPage {
    func makeBindings() throws -> PostgresBindings { ChatStatements.bindings(chatID, userID, messageID, limit) }
    func decodeRow(_ row: PostgresRow) throws -> Message { try Message(row) }
}

/// A chat and the caller's membership of it (`nil`: not a member).
struct ChatAccess: Sendable {
    var chat: Chat
    var member: ChatMember?
}

extension Chat {
    /// The chat from the next columns `id, kind, starter_id, recipient_id, title, created_at`.
    init(reading columns: inout ColumnReader) throws {
        let id: Int64 = try columns.next()
        let kind: String = try columns.next()
        self.init(
            id: id,
            kind: ChatKind(rawValue: kind) ?? .private,
            starterID: try columns.next(),
            recipientID: try columns.next(),
            title: try columns.next(),
            createdAt: try columns.next()
        )
    }
}

extension Message {
    /// A message from a row of `id, chat_id, owner_id, text, answer_id, created_at, type, data, edited_at`.
    init(_ row: PostgresRow) throws {
        var columns = ColumnReader(row)
        self.init(
            id: try columns.next(),
            chatID: try columns.next(),
            ownerID: try columns.next(),
            text: try columns.next(),
            answerID: try columns.next(),
            createdAt: try columns.next(),
            type: try columns.next(),
            data: try columns.next(),
            editedAt: try columns.next()
        )
    }
}
