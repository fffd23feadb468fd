import Foundation
import PostgresNIO
import Shared

/// The prepared statements of the read paths every page view takes: prepared once per connection, so
/// PostgreSQL does not parse and plan them again for each request (planning took longer than running
/// these index lookups).
enum ChatStatements {
    /// A chat by id.
    struct ChatByID: PostgresPreparedStatement {
        static let sql = "SELECT id, starter_id, recipient_id FROM chat.chats WHERE id = $1"
        var id: Int64

        func makeBindings() throws -> PostgresBindings { ChatStatements.bindings(id) }
        func decodeRow(_ row: PostgresRow) throws -> Chat { try Chat(row) }
    }

    /// A page of a chat's messages, newest first.
    struct MessagePage: PostgresPreparedStatement {
        static let sql = """
            SELECT id, chat_id, owner_id, text, answer_id, created_at FROM chat.messages
            WHERE chat_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3
            """
        var chatID: Int64
        var limit: Int64
        var offset: Int64

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(chatID)
            bindings.append(limit)
            bindings.append(offset)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Message {
            var columns = ColumnReader(row)
            return Message(
                id: try columns.next(),
                chatID: try columns.next(),
                ownerID: try columns.next(),
                text: try columns.next(),
                answerID: try columns.next(),
                createdAt: try columns.next()
            )
        }
    }

    /// A user's chats, most recently active first.
    struct ChatsOfUser: PostgresPreparedStatement {
        static let sql = """
            SELECT id, starter_id, recipient_id FROM chat.chats
            WHERE starter_id = $1 OR recipient_id = $1
            ORDER BY last_activity_at DESC, id DESC
            """
        var userID: Int64

        func makeBindings() throws -> PostgresBindings { ChatStatements.bindings(userID) }
        func decodeRow(_ row: PostgresRow) throws -> Chat { try Chat(row) }
    }

    /// The bindings of a statement whose one parameter is `value`.
    static func bindings(_ value: Int64) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(value)
        return bindings
    }
}

extension Chat {
    /// A chat from a row of `id, starter_id, recipient_id`.
    init(_ row: PostgresRow) throws {
        var columns = ColumnReader(row)
        self.init(id: try columns.next(), starterID: try columns.next(), recipientID: try columns.next())
    }
}
