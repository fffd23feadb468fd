import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Shared
import TestSupport
import Testing

@testable import PrivateChat

/// Read markers, unread and mention counts, the chat list a client draws, and cursor pages of messages.
@Suite struct ReadStateTests {
    static let alice = ChatFixture.user(1)
    static let bob = ChatFixture.user(2)
    static let carol = ChatFixture.user(3)

    /// Posts `text` as `caller` and returns the message id.
    static func post(_ app: ChatFixture, _ text: String, in chat: Int64, as caller: Caller) async throws -> Int {
        let answer = try await app.send(
            .post,
            "/private/add-message/\(chat)/",
            as: caller,
            json: #"{"text": "\#(text)"}"#
        )
        return try #require((answer.json as? [String: Any])?["id"] as? Int)
    }

    static func marker(_ answer: (status: HTTPResponse.Status, json: Any?)) -> Int? {
        (answer.json as? [String: Any])?["last_read_message_id"] as? Int
    }

    @Test func aReadMarkerMovesForwardOnlyAndStaysInItsChat() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            let other = try await app.startChat(as: Self.alice, with: 3, text: "elsewhere")
            let first = try await Self.post(app, "one", in: chat, as: Self.alice)
            let second = try await Self.post(app, "two", in: chat, as: Self.alice)
            let read = try await app.send(
                .post,
                "/private/\(chat)/read/",
                as: Self.bob,
                json: #"{"message_id": \#(second)}"#
            )
            #expect(read.status == .ok)
            #expect((read.json as? [String: Any])?["chat_id"] as? Int == Int(chat))
            #expect(Self.marker(read) == second)
            // Never back.
            let back = try await app.send(
                .post,
                "/private/\(chat)/read/",
                as: Self.bob,
                json: #"{"message_id": \#(first)}"#
            )
            #expect(Self.marker(back) == second)
            // Beyond the newest message, or in another chat: 422, nothing moves.
            for id in [second + 100, 0] {
                let refused = try await app.send(
                    .post,
                    "/private/\(chat)/read/",
                    as: Self.bob,
                    json: #"{"message_id": \#(id)}"#
                )
                #expect(refused.status == .unprocessableContent, "\(id)")
            }
            let elsewhere = try await app.integer("SELECT max(id)::int FROM chat.messages WHERE chat_id = \(other)")
            let misplaced = try await app.send(
                .post,
                "/private/\(chat)/read/",
                as: Self.bob,
                json: #"{"message_id": \#(elsewhere)}"#
            )
            #expect(misplaced.status == .unprocessableContent)
            #expect(
                (misplaced.json as? [String: Any])?["detail"] as? String == "message_id must be a message of this chat"
            )
            #expect(
                try await app.send(.post, "/private/\(chat)/read/", as: Self.carol, json: #"{"message_id": \#(first)}"#)
                    .status == .forbidden
            )
            #expect(
                try await app.send(.post, "/private/999/read/", as: Self.bob, json: #"{"message_id": 1}"#).status
                    == .notFound
            )
            #expect(
                try await app.send(.post, "/private/\(chat)/read/", as: Self.bob, json: #"{"message_id": "1"}"#).status
                    == .unprocessableContent
            )
            #expect(
                try await app.integer(
                    "SELECT last_read_message_id::int FROM chat.members WHERE chat_id = \(chat) AND user_id = 2"
                ) == second
            )
            // Read-all takes it to the newest message; posting moves the author's own marker.
            let third = try await Self.post(app, "three", in: chat, as: Self.alice)
            #expect(Self.marker(try await app.send(.post, "/private/\(chat)/read-all/", as: Self.bob)) == third)
            let mine = try await Self.post(app, "mine", in: chat, as: Self.bob)
            let info = try #require(
                try await app.send(.get, "/private/\(chat)/info/", as: Self.alice).json as? [String: Any]
            )
            let markers = (info["members"] as? [[String: Any]])?.map { $0["last_read_message_id"] as? Int }
            #expect(markers == [third, mine])
            #expect(try await app.send(.post, "/private/\(chat)/read-all/", as: Self.carol).status == .forbidden)
        }
    }

    @Test func theChatListCountsUnreadMessagesAndMentionsOfOthers() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, title: "Team", members: [2, 3])
            _ = try await Self.post(app, "hi @ALICE and @carol", in: group, as: Self.bob)
            _ = try await Self.post(app, "write to alice@example.com", in: group, as: Self.bob)
            _ = try await Self.post(app, "@alice again, @nobody", in: group, as: Self.carol)
            _ = try await Self.post(app, "@alice my own", in: group, as: Self.alice)
            // A system message after Alice's marker counts for nothing.
            _ = try await app.send(.patch, "/private/\(group)/", as: Self.bob, json: #"{"title": "Renamed"}"#)
            let list = try await app.send(.get, "/private/chat-list/", as: Self.alice)
            let row = try #require((list.json as? [[String: Any]])?.first)
            #expect(row["unread_count"] as? Int == 0, "Alice posted last: her marker is past everything before it")
            _ = try await Self.post(app, "one more @alice", in: group, as: Self.bob)
            _ = try await Self.post(app, "and a plain one", in: group, as: Self.carol)
            let again = try #require(
                (try await app.send(.get, "/private/chat-list/", as: Self.alice).json as? [[String: Any]])?.first
            )
            #expect(again["unread_count"] as? Int == 2)
            #expect(again["mention_count"] as? Int == 1)
            let carolRow = try #require(
                (try await app.send(.get, "/private/chat-list/", as: Self.carol).json as? [[String: Any]])?.first
            )
            // Carol posted last: her own message moved her marker past everything.
            #expect(carolRow["unread_count"] as? Int == 0)
            #expect(carolRow["mention_count"] as? Int == 0)
            let bobRow = try #require(
                (try await app.send(.get, "/private/chat-list/", as: Self.bob).json as? [[String: Any]])?.first
            )
            #expect(bobRow["unread_count"] as? Int == 1)
            _ = try await app.send(.post, "/private/\(group)/read-all/", as: Self.alice)
            let read = try #require(
                (try await app.send(.get, "/private/chat-list/", as: Self.alice).json as? [[String: Any]])?.first
            )
            #expect(read["unread_count"] as? Int == 0)
            #expect(read["mention_count"] as? Int == 0)
            // Mentions were stored for members only, never for the author.
            let stored = try await app.integer(
                "SELECT count(*)::int FROM chat.messages WHERE chat_id = \(group) AND 1 = ANY (mentions)"
            )
            #expect(stored == 3)
        }
    }

    @Test func theChatListDrawsEachChatAndPagesWithoutLosingAny() async throws {
        try await withChatApp { app in
            let direct = try await app.startChat(as: Self.alice, with: 2, text: "hello bob")
            let group = try await app.createGroup(as: Self.alice, title: "Team", members: [2, 3])
            let quiet = try await app.startChat(as: Self.alice, with: 3)
            _ = try await Self.post(app, "latest", in: direct, as: Self.bob)
            let first = try await app.send(.get, "/private/chat-list/?limit=2", as: Self.alice)
            let rows = try #require(first.json as? [[String: Any]])
            #expect(rows.map { $0["id"] as? Int } == [Int(direct), Int(quiet)])
            let top = rows[0]
            #expect(top["type"] as? String == "private")
            #expect(top["title"] is NSNull)
            #expect((top["peer"] as? [String: Any])?["username"] as? String == "bob")
            #expect(top["member_count"] as? Int == 2)
            let last = try #require(top["last_message"] as? [String: Any])
            #expect(last["text"] as? String == "latest")
            #expect((last["message_owner"] as? [String: Any])?["username"] as? String == "bob")
            #expect(rows[1]["last_message"] is NSNull)
            let stamp = try #require(rows[1]["last_activity_at"] as? String)
            #expect(stamp.count == 27 && stamp.hasSuffix("Z"), "\(stamp)")
            // The cursor of the last row gives the rest; nothing is lost or repeated.
            let next = try await app.send(
                .get,
                "/private/chat-list/?limit=2&before=\(stamp)&before_id=\(quiet)",
                as: Self.alice
            )
            let rest = try #require(next.json as? [[String: Any]])
            #expect(rest.map { $0["id"] as? Int } == [Int(group)])
            #expect(rest[0]["type"] as? String == "group")
            #expect(rest[0]["title"] as? String == "Team")
            #expect(rest[0]["peer"] is NSNull)
            #expect(rest[0]["member_count"] as? Int == 3)
            #expect((rest[0]["last_message"] as? [String: Any])?["type"] as? String == "group_create")
            for (query, field) in [
                ("limit=0", "limit"), ("limit=201", "limit"), ("before=\(stamp)", "before"),
                ("before_id=3", "before"), ("before=yesterday&before_id=3", "before"),
                ("before=2026-13-01T00:00:00Z&before_id=3", "before"),
                ("before=2026-02-30T00:00:00Z&before_id=3", "before"),
            ] {
                let answer = try await app.send(.get, "/private/chat-list/?\(query)", as: Self.alice)
                #expect(answer.status == .unprocessableContent, "\(query)")
                #expect(((answer.json as? [String: Any])?["detail"] as? String)?.contains(field) == true, "\(query)")
            }
        }
    }

    @Test func messagePagesFromACursorAreExactAndSayWhetherMoreFollow() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            var ids: [Int] = []
            for index in 0..<10 { ids.append(try await Self.post(app, "m\(index)", in: chat, as: Self.alice)) }
            func page(_ query: String) async throws -> (ids: [Int], more: String?) {
                let response = try await app.client.execute(
                    uri: "/private/\(chat)/messages?\(query)",
                    method: .get,
                    headers: gatewayHeaders(caller: Self.bob)
                ) { $0 }
                let list =
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
                return (list?.compactMap { $0["id"] as? Int } ?? [], response.headers[ChatHeaders.hasMore])
            }
            let newest = try await page("limit=3")
            #expect(newest.ids == [ids[9], ids[8], ids[7]] && newest.more == "true")
            let older = try await page("limit=3&before=\(ids[7])")
            #expect(older.ids == [ids[6], ids[5], ids[4]] && older.more == "true")
            let oldest = try await page("limit=5&before=\(ids[3])")
            #expect(oldest.ids == [ids[2], ids[1], ids[0]] && oldest.more == "false")
            // After: the catch-up of a client that saw up to ids[5]; still newest first.
            let caughtUp = try await page("limit=3&after=\(ids[5])")
            #expect(caughtUp.ids == [ids[8], ids[7], ids[6]] && caughtUp.more == "true")
            #expect(try await page("limit=10&after=\(ids[5])").more == "false")
            #expect(try await page("after=\(ids[9])").ids.isEmpty)
            let around = try await page("limit=4&around=\(ids[5])")
            #expect(around.ids == [ids[7], ids[6], ids[5], ids[4]] && around.more == "true")
            #expect(try await page("limit=20&around=\(ids[5])").more == "false")
            #expect(try await page("limit=4&offset=8").more == "false")
            for query in ["offset=1&before=3", "before=1&after=2", "after=1&around=2", "before=-1", "around=x"] {
                let answer = try await app.send(.get, "/private/\(chat)/messages?\(query)", as: Self.bob)
                #expect(answer.status == .unprocessableContent, "\(query)")
            }
            #expect(try await app.send(.get, "/private/\(chat)/messages?after=0", as: Self.carol).status == .forbidden)
            #expect(try await app.send(.get, "/private/999/messages?before=5", as: Self.bob).status == .notFound)
        }
    }

    @Test func mentionsAreUsernamesNotInsideWordsOrAddresses() {
        #expect(Mentions.usernames(in: "hi @Alice, @bob.smith and @x") == ["alice", "bob.smith"])
        #expect(Mentions.usernames(in: "mail alice@example.com") == [])
        #expect(Mentions.usernames(in: "@carol") == ["carol"])
        #expect(Mentions.usernames(in: "@" + String(repeating: "a", count: 33)).isEmpty)
        #expect(Mentions.usernames(in: "(@dave) @@erin") == ["dave", "erin"])
    }
}
