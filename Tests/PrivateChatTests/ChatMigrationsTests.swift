import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing
import Users

@testable import PrivateChat

/// A database created at the first `chat` schema, with real rows, migrated forward.
@Suite struct ChatMigrationsTests {
    static let logger = Logger(label: "chat-migrations-test")

    @Test func chatsAndMessagesOfTheFirstSchemaSurviveAndGainMembers() async throws {
        try await withFreshDatabase(migrators: [UsersMigrations.migrator, EventsMigrations.migrator]) { database in
            let first = Migrator(schema: "chat", migrations: [ChatMigrations.all[0]])
            #expect(try await first.migrate(on: database, logger: Self.logger) == [1])
            // Two chats as the previous release stored them: 1-2 with three messages (one answering
            // another), 3-1 with none.
            try await database.query(
                "INSERT INTO chat.chats (starter_id, recipient_id) VALUES (1, 2), (3, 1)",
                logger: Self.logger
            )
            try await database.query(
                """
                INSERT INTO chat.messages (chat_id, owner_id, text, answer_id)
                VALUES (1, 1, 'hello', NULL), (1, 2, 'hi', 1), (1, 1, 'how are you?', NULL)
                """,
                logger: Self.logger
            )
            #expect(try await ChatMigrations.migrator.migrate(on: database, logger: Self.logger) == [2, 3])

            let members = try await database.query(
                "SELECT chat_id, user_id, role, last_read_message_id FROM chat.members ORDER BY chat_id, user_id",
                logger: Self.logger
            )
            var rows: [String] = []
            for try await (chat, user, role, read) in members.decode((Int64, Int64, String, Int64).self) {
                rows.append("\(chat):\(user):\(role):\(read)")
            }
            // The pairs are the members; the history they had counts as read.
            #expect(rows == ["1:1:member:3", "1:2:member:3", "2:1:member:0", "2:3:member:0"])

            let profiles = PostgresProfileStore(client: database, media: MediaLinks(baseURL: "http://media.test"))
            for (id, name) in [(Int64(1), "alice"), (2, "bob"), (3, "carol")] {
                try await profiles.create(Profile(id: id, username: name), logger: Self.logger)
            }
            let router = PrivateChatService.makeRouter(
                store: PostgresChatStore(client: database),
                directory: StoreBackedDirectory(store: profiles),
                internalToken: testInternalToken,
                database: database
            )
            try await Application(router: router).test(.router) { client in
                let app = ChatFixture(client: client, database: database)
                let page = try await app.send(.get, "/private/1/messages", as: ChatFixture.bob)
                let messages = try #require(page.json as? [[String: Any]])
                #expect(messages.map { $0["text"] as? String } == ["how are you?", "hi", "hello"])
                #expect(messages.map { $0["type"] as? String } == ["default", "default", "default"])
                #expect(messages[1]["answer"] as? Int == 1)
                #expect(try await app.send(.get, "/private/2/messages", as: ChatFixture.bob).status == .forbidden)
                let info = try #require(
                    try await app.send(.get, "/private/2/info/", as: ChatFixture.carol).json as? [String: Any]
                )
                #expect(info["type"] as? String == "private")
                #expect((info["chat_starter"] as? [String: Any])?["username"] as? String == "carol")
                // The old pairs stay unique: starting 1-2 again finds chat 1; both still post.
                #expect(try await app.startChat(as: ChatFixture.bob, with: 1) == 1)
                let posted = try await app.send(
                    .post,
                    "/private/add-message/2/",
                    as: ChatFixture.alice,
                    json: #"{"text": "yo"}"#
                )
                #expect(posted.status == .ok)
                let list = try await app.send(.get, "/private/chat-list/", as: ChatFixture.alice)
                #expect((list.json as? [[String: Any]])?.map { $0["id"] as? Int } == [2, 1])
            }
        }
    }
}
