import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import PrivateChat

/// Every change PrivateChat makes appends its gateway events to `events.outbox` in the same transaction:
/// the recipients, the order, and payloads equal to what the REST API answers for the same objects.
@Suite struct OutboxEventsTests {
    static let alice = ChatFixture.user(1)
    static let bob = ChatFixture.user(2)
    static let carol = ChatFixture.user(3)
    static let dave = ChatFixture.user(4)

    // MARK: - Messages

    @Test func startingAChatWritesEachMemberTheirChatListRowThenTheFirstMessage() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2, text: "hello")
            let rows = try await app.outbox()
            #expect(rows.map(\.type) == ["CHAT_CREATE", "CHAT_CREATE", "MESSAGE_CREATE"])
            // Each member's own row of the chat list: the peer differs.
            #expect(rows[0].recipients == [1])
            #expect(rows[0].payload == (try await app.newestChatListItem(as: Self.alice)))
            #expect(rows[1].recipients == [2])
            #expect(rows[1].payload == (try await app.newestChatListItem(as: Self.bob)))
            #expect(rows[0].payload != rows[1].payload)
            #expect(rows[2].recipients == [1, 2])
            #expect(rows[2].payload == (try await app.listedMessage(try rows[2].messageID, in: chat, as: Self.bob)))
            #expect(rows.allSatisfy { $0.session == nil && $0.nonce == nil })

            // The chat exists: a new first text is only a message; without text, nothing happens.
            let mark = try await app.lastOutboxID()
            #expect(try await app.startChat(as: Self.bob, with: 1, text: "again") == chat)
            #expect(try await app.startChat(as: Self.bob, with: 1) == chat)
            let later = try await app.outbox(after: mark)
            #expect(later.map(\.type) == ["MESSAGE_CREATE"])
            #expect(later[0].payload == (try await app.listedMessage(try later[0].messageID, in: chat, as: Self.alice)))
        }
    }

    @Test func aNewChatWithoutTextIsOnlyCreated() async throws {
        try await withChatApp { app in
            _ = try await app.startChat(as: Self.alice, with: 3)
            let rows = try await app.outbox()
            #expect(rows.map(\.type) == ["CHAT_CREATE", "CHAT_CREATE"])
            #expect(rows.map(\.recipients) == [[1], [3]])
            #expect(rows[1].payload == (try await app.newestChatListItem(as: Self.carol)))
            #expect(try app.json(rows[1].payload)["last_message"] is NSNull)
        }
    }

    @Test func postingWritesTheListedMessageToTheMembers() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            let mark = try await app.lastOutboxID()
            let posted = try await app.post("hi @bob", in: group, as: Self.carol, answer: nil)
            #expect(posted.status == .ok)
            let rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["MESSAGE_CREATE"])
            #expect(rows[0].recipients == [1, 2, 3])
            #expect(try rows[0].messageID == posted.id)
            // Byte for byte the element of the page of messages.
            #expect(rows[0].payload == (try await app.listedMessage(posted.id, in: group, as: Self.alice)))
            #expect(rows[0].session == nil && rows[0].nonce == nil)
            // The author's marker moved with the post: no READ_STATE_UPDATE for that.
            let answer = try await app.post("an answer", in: group, as: Self.bob, answer: posted.id)
            let answered = try await app.outbox(after: rows[0].id)
            #expect(answered.map(\.type) == ["MESSAGE_CREATE"])
            #expect(answered[0].payload == (try await app.listedMessage(answer.id, in: group, as: Self.carol)))
        }
    }

    // MARK: - Nonces

    @Test func aRetriedNonceStoresAndWritesNothingAndAnswersTheFirstID() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            let mark = try await app.lastOutboxID()
            let body = #"{"text": "once", "nonce": "n-1"}"#
            let first = try await app.raw(.post, "/private/add-message/\(chat)/", as: Self.alice, json: body)
            let again = try await app.raw(.post, "/private/add-message/\(chat)/", as: Self.alice, json: body)
            #expect(first.status == .ok)
            #expect(again.status == .ok)
            #expect(again.body == first.body)
            let id = try #require(try app.json(first.body)["id"] as? Int)
            #expect(first.body == #"{"detail":"Success add.","id":\#(id)}"#)
            #expect(try await app.count("messages") == 1)
            let rows = try await app.outbox(after: mark)
            #expect(rows.count == 1)
            // No gateway session: nobody to echo the nonce to.
            #expect(rows[0].session == nil && rows[0].nonce == nil)
            // The same nonce from the other member is their own.
            let bobs = try await app.raw(.post, "/private/add-message/\(chat)/", as: Self.bob, json: body)
            #expect(try app.json(bobs.body)["id"] as? Int != id)
            #expect(try await app.count("messages") == 2)
        }
    }

    @Test func aSendThroughTheGatewayCarriesItsSessionAndNonce() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            let mark = try await app.lastOutboxID()
            var headers = HTTPFields()
            headers[InternalHeaders.gatewaySession] = "gw-session-7"
            let answer = try await app.raw(
                .post,
                "/private/add-message/\(chat)/",
                as: Self.alice,
                json: #"{"text": "via ws", "nonce": "abc 123"}"#,
                headers: headers
            )
            #expect(answer.status == .ok)
            // Without a nonce there is nothing to echo.
            _ = try await app.raw(
                .post,
                "/private/add-message/\(chat)/",
                as: Self.alice,
                json: #"{"text": "no nonce"}"#,
                headers: headers
            )
            let rows = try await app.outbox(after: mark)
            #expect(rows.count == 2)
            #expect(rows[0].session == "gw-session-7" && rows[0].nonce == "abc 123")
            #expect(rows[0].recipients == [1, 2])
            #expect(rows[1].session == nil && rows[1].nonce == nil)
        }
    }

    @Test func concurrentRetriesOfOneNonceStoreOneMessage() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            let mark = try await app.lastOutboxID()
            let bodies = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { tasks in
                for _ in 0..<6 {
                    tasks.addTask {
                        let answer = try await app.raw(
                            .post,
                            "/private/add-message/\(chat)/",
                            as: Self.alice,
                            json: #"{"text": "twice", "nonce": "same"}"#
                        )
                        return (answer.status, answer.body)
                    }
                }
                var bodies: [(HTTPResponse.Status, String)] = []
                for try await body in tasks { bodies.append(body) }
                return bodies
            }
            #expect(bodies.allSatisfy { $0.0 == .ok })
            #expect(Set(bodies.map(\.1)).count == 1, "\(bodies)")
            #expect(try await app.count("messages") == 1)
            #expect(try await app.outbox(after: mark).count == 1)
        }
    }

    /// A nonce the route refuses; the message names the field.
    static let refusedNonces: [String] = [
        #""""#,
        "\"\(String(repeating: "n", count: 65))\"",
        #""caf\u00e9""#,
        #""tab\there""#,
        "42",
    ]

    @Test(arguments: refusedNonces) func aMalformedNonceIsRefusedAndWritesNothing(_ nonce: String) async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            let mark = try await app.lastOutboxID()
            let answer = try await app.raw(
                .post,
                "/private/add-message/\(chat)/",
                as: Self.alice,
                json: #"{"text": "x", "nonce": \#(nonce)}"#
            )
            #expect(answer.status == .unprocessableContent)
            #expect((try app.json(answer.body)["detail"] as? String)?.contains("nonce") == true)
            #expect(try await app.outbox(after: mark).isEmpty)
            #expect(try await app.count("messages") == 0)
        }
        // 64 printable characters are fine.
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            let nonce = String(repeating: "~", count: 64)
            let answer = try await app.raw(
                .post,
                "/private/add-message/\(chat)/",
                as: Self.alice,
                json: #"{"text": "x", "nonce": "\#(nonce)"}"#
            )
            #expect(answer.status == .ok)
        }
    }

    // MARK: - Groups

    @Test func creatingAGroupWritesChatCreateThenItsSystemMessage() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            let rows = try await app.outbox()
            #expect(rows.map(\.type) == ["CHAT_CREATE", "MESSAGE_CREATE"])
            // A new group's row is the same for every member: one event for all.
            #expect(rows[0].recipients == [1, 2, 3])
            for caller in [Self.alice, Self.bob, Self.carol] {
                #expect(rows[0].payload == (try await app.newestChatListItem(as: caller)))
            }
            #expect(rows[1].recipients == [1, 2, 3])
            let message = try app.json(rows[1].payload)
            #expect(message["type"] as? String == "group_create")
            #expect(rows[1].payload == (try await app.listedMessage(try rows[1].messageID, in: group, as: Self.bob)))
        }
    }

    @Test func addingAMemberWritesTheMemberTheirChatAndTheSystemMessage() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            _ = try await app.post("before dave", in: group, as: Self.bob, answer: nil)
            let mark = try await app.lastOutboxID()
            let added = try await app.send(.put, "/private/\(group)/members/4/", as: Self.alice)
            #expect(added.status == .ok)
            let rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["CHAT_MEMBER_ADD", "CHAT_CREATE", "MESSAGE_CREATE"])
            #expect(rows[0].recipients == [1, 2, 3, 4])
            let event = try app.json(rows[0].payload)
            #expect(event["chat_id"] as? Int == Int(group))
            let info = try #require(added.json as? [String: Any])
            var listed = try #require((info["members"] as? [[String: Any]])?.first { $0["id"] as? Int == 4 })
            // The info's member without its presence: a stored event would replay a stale one
            // (PRESENCE_UPDATE carries presence live).
            #expect(listed.removeValue(forKey: "is_online") as? Bool == false)
            #expect(listed.removeValue(forKey: "last_online_at") is NSNull)
            #expect(try app.canonical(event["member"] ?? NSNull()) == (try app.canonical(listed)))
            #expect(rows[1].recipients == [4])
            #expect(rows[1].payload == (try await app.newestChatListItem(as: Self.dave)))
            #expect(rows[2].recipients == [1, 2, 3, 4])
            #expect(rows[2].payload == (try await app.listedMessage(try rows[2].messageID, in: group, as: Self.dave)))
            // Adding a member again changes nothing and writes nothing.
            #expect(try await app.send(.put, "/private/\(group)/members/4/", as: Self.alice).status == .ok)
            #expect(try await app.outbox(after: rows[2].id).isEmpty)
        }
    }

    @Test func removingAMemberTellsThemAndThenOnlyTheOthers() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            let mark = try await app.lastOutboxID()
            #expect(try await app.send(.delete, "/private/\(group)/members/3/", as: Self.alice).status == .ok)
            let rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["CHAT_MEMBER_REMOVE", "MESSAGE_CREATE"])
            #expect(rows[0].recipients == [1, 2, 3])
            #expect(rows[0].payload == #"{"chat_id":\#(group),"user_id":3}"#)
            #expect(rows[1].recipients == [1, 2])
            #expect(try app.json(rows[1].payload)["type"] as? String == "member_remove")
            #expect(rows[1].payload == (try await app.listedMessage(try rows[1].messageID, in: group, as: Self.bob)))
        }
    }

    @Test func leavingWritesTheRemovalTheMessageAndAnOwnershipChange() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            // A member leaves.
            var mark = try await app.lastOutboxID()
            #expect(try await app.send(.post, "/private/\(group)/leave/", as: Self.carol).status == .noContent)
            var rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["CHAT_MEMBER_REMOVE", "MESSAGE_CREATE"])
            #expect(rows[0].recipients == [1, 2, 3])
            #expect(rows[0].payload == #"{"chat_id":\#(group),"user_id":3}"#)
            #expect(rows[1].recipients == [1, 2])
            #expect(try app.json(rows[1].payload)["type"] as? String == "member_leave")

            // The owner leaves: bob takes over.
            mark = try await app.lastOutboxID()
            #expect(try await app.send(.post, "/private/\(group)/leave/", as: Self.alice).status == .noContent)
            rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["CHAT_MEMBER_REMOVE", "MESSAGE_CREATE", "CHAT_UPDATE", "MESSAGE_CREATE"])
            #expect(rows.map(\.recipients) == [[1, 2], [2], [2], [2]])
            #expect(
                rows[2].payload
                    == #"{"id":\#(group),"chat_id":\#(group),"type":"group","title":"Team","owner_id":2,"members":[{"id":2,"role":"owner"}]}"#
            )
            #expect(try app.canonical(app.json(rows[2].payload)) == (try await app.chatUpdate(of: group, as: Self.bob)))
            #expect(try app.json(rows[3].payload)["type"] as? String == "owner_change")
            #expect(rows[3].payload == (try await app.listedMessage(try rows[3].messageID, in: group, as: Self.bob)))

            // The last member leaves: the group is deleted.
            mark = try await app.lastOutboxID()
            #expect(try await app.send(.post, "/private/\(group)/leave/", as: Self.bob).status == .noContent)
            rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["CHAT_MEMBER_REMOVE", "CHAT_DELETE"])
            #expect(rows.map(\.recipients) == [[2], [2]])
            #expect(rows[1].payload == #"{"id":\#(group),"chat_id":\#(group)}"#)
        }
    }

    @Test func renamingAndRoleChangesWriteChatUpdateThenTheSystemMessage() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            let changes: [(method: HTTPRequest.Method, path: String, json: String, message: String)] = [
                (.patch, "/private/\(group)/", #"{"title": "Renamed \"x\""}"#, "title_change"),
                (.patch, "/private/\(group)/members/2/", #"{"role": "admin"}"#, "role_change"),
                (.patch, "/private/\(group)/members/3/", #"{"role": "owner"}"#, "owner_change"),
            ]
            var owner = Self.alice
            for change in changes {
                let mark = try await app.lastOutboxID()
                let answer = try await app.send(change.method, change.path, as: owner, json: change.json)
                #expect(answer.status == .ok)
                let rows = try await app.outbox(after: mark)
                #expect(rows.map(\.type) == ["CHAT_UPDATE", "MESSAGE_CREATE"])
                #expect(rows.allSatisfy { $0.recipients == [1, 2, 3] })
                #expect(
                    try app.canonical(app.json(rows[0].payload)) == (try await app.chatUpdate(of: group, as: owner))
                )
                #expect(try app.json(rows[1].payload)["type"] as? String == change.message)
                #expect(
                    rows[1].payload == (try await app.listedMessage(try rows[1].messageID, in: group, as: Self.bob))
                )
                if change.message == "owner_change" { owner = Self.carol }
            }
            #expect(try await app.roles(in: group, as: Self.bob) == [1: "admin", 2: "admin", 3: "owner"])
            // Changes that change nothing write nothing.
            let mark = try await app.lastOutboxID()
            _ = try await app.send(.patch, "/private/\(group)/", as: Self.carol, json: #"{"title": "Renamed \"x\""}"#)
            _ = try await app.send(.patch, "/private/\(group)/members/2/", as: Self.carol, json: #"{"role": "admin"}"#)
            #expect(try await app.outbox(after: mark).isEmpty)
        }
    }

    @Test func deletingAChatTellsEveryMember() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            var mark = try await app.lastOutboxID()
            #expect(try await app.send(.delete, "/private/\(group)/", as: Self.alice).status == .noContent)
            var rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["CHAT_DELETE"])
            #expect(rows[0].recipients == [1, 2, 3])
            #expect(rows[0].payload == #"{"id":\#(group),"chat_id":\#(group)}"#)

            let chat = try await app.startChat(as: Self.alice, with: 2, text: "hi")
            mark = try await app.lastOutboxID()
            #expect(try await app.send(.delete, "/private/\(chat)/", as: Self.bob).status == .noContent)
            rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["CHAT_DELETE"])
            #expect(rows[0].recipients == [1, 2])
        }
    }

    // MARK: - Read markers

    @Test func readMarkersWriteAnEventOnlyWhenTheyMove() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            let zero = try await app.post("zero", in: chat, as: Self.alice, answer: nil).id
            let first = try await app.post("one", in: chat, as: Self.alice, answer: nil).id
            let second = try await app.post("two", in: chat, as: Self.alice, answer: nil).id
            var mark = try await app.lastOutboxID()
            let read = try await app.send(
                .post,
                "/private/\(chat)/read/",
                as: Self.bob,
                json: #"{"message_id": \#(first)}"#
            )
            #expect((read.json as? [String: Any])?["last_read_message_id"] as? Int == Int(first))
            var rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["READ_STATE_UPDATE"])
            #expect(rows[0].recipients == [1, 2])
            #expect(rows[0].payload == #"{"chat_id":\#(chat),"user_id":2,"last_read_message_id":\#(first)}"#)

            // Not moving (the same message, an older one, the author's own marker): nothing.
            mark = try await app.lastOutboxID()
            for (caller, id) in [(Self.bob, first), (Self.bob, zero), (Self.alice, second)] {
                let again = try await app.send(
                    .post,
                    "/private/\(chat)/read/",
                    as: caller,
                    json: #"{"message_id": \#(id)}"#
                )
                #expect(again.status == .ok)
            }
            #expect((try await app.send(.post, "/private/\(chat)/read-all/", as: Self.alice)).status == .ok)
            #expect(try await app.outbox(after: mark).isEmpty)

            // read-all moves bob's marker to the newest message.
            let all = try await app.send(.post, "/private/\(chat)/read-all/", as: Self.bob)
            #expect((all.json as? [String: Any])?["last_read_message_id"] as? Int == Int(second))
            rows = try await app.outbox(after: mark)
            #expect(rows.map(\.type) == ["READ_STATE_UPDATE"])
            #expect(rows[0].recipients == [1, 2])
            #expect(rows[0].payload == #"{"chat_id":\#(chat),"user_id":2,"last_read_message_id":\#(second)}"#)
            mark = rows[0].id
            #expect((try await app.send(.post, "/private/\(chat)/read-all/", as: Self.bob)).status == .ok)
            let back = try await app.send(
                .post,
                "/private/\(chat)/read/",
                as: Self.bob,
                json: #"{"message_id": \#(first)}"#
            )
            #expect((back.json as? [String: Any])?["last_read_message_id"] as? Int == Int(second))
            #expect(try await app.outbox(after: mark).isEmpty)
        }
    }

    // MARK: - Refusals

    @Test func refusedOperationsWriteNoEvent() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2, text: "hi")
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            let other = try await app.startChat(as: Self.carol, with: 4, text: "elsewhere")
            let foreign = try await app.integer("SELECT max(id)::int FROM chat.messages WHERE chat_id = \(other)")
            let mark = try await app.lastOutboxID()
            let refused: [(HTTPRequest.Method, String, Caller, String?, HTTPResponse.Status)] = [
                (.post, "/private/add-message/\(chat)/", Self.carol, #"{"text": "x"}"#, .forbidden),
                (.post, "/private/add-message/999999/", Self.alice, #"{"text": "x"}"#, .notFound),
                (
                    .post, "/private/add-message/\(chat)/", Self.alice,
                    #"{"text": "x", "message_answer_id": \#(foreign)}"#, .unprocessableContent
                ),
                (.post, "/private/add-message/\(chat)/", Self.alice, #"{"text": "   "}"#, .unprocessableContent),
                (.post, "/private/start-chat/", Self.alice, #"{"recipient_id": 999}"#, .notFound),
                (.put, "/private/\(group)/members/4/", Self.bob, nil, .forbidden),
                (.put, "/private/\(group)/members/999/", Self.alice, nil, .notFound),
                (.delete, "/private/\(group)/members/1/", Self.bob, nil, .forbidden),
                (.delete, "/private/\(group)/members/4/", Self.alice, nil, .notFound),
                (.patch, "/private/\(group)/members/1/", Self.alice, #"{"role": "member"}"#, .unprocessableContent),
                (.patch, "/private/\(group)/", Self.bob, #"{"title": "No"}"#, .forbidden),
                (.patch, "/private/\(chat)/", Self.alice, #"{"title": "No"}"#, .unprocessableContent),
                (.post, "/private/\(chat)/leave/", Self.alice, nil, .unprocessableContent),
                (.delete, "/private/\(group)/", Self.bob, nil, .forbidden),
                (.delete, "/private/\(chat)/", Self.carol, nil, .forbidden),
                (.post, "/private/\(chat)/read/", Self.carol, #"{"message_id": 1}"#, .forbidden),
                (.post, "/private/\(chat)/read/", Self.bob, #"{"message_id": \#(foreign)}"#, .unprocessableContent),
                (.post, "/private/\(chat)/read-all/", Self.carol, nil, .forbidden),
                (.post, "/private/999999/read-all/", Self.carol, nil, .notFound),
            ]
            for (method, path, caller, json, status) in refused {
                let answer = try await app.send(method, path, as: caller, json: json)
                #expect(answer.status == status, "\(method) \(path)")
            }
            #expect(try await app.outbox(after: mark).isEmpty)
        }
    }

    // MARK: - Concurrency

    @Test func concurrentPostsToOneChatGetMessageAndOutboxIDsInTheSameOrder() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            let mark = try await app.lastOutboxID()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for index in 0..<24 {
                    tasks.addTask {
                        let author = [Self.alice, Self.bob, Self.carol][index % 3]
                        let posted = try await app.post("m\(index)", in: group, as: author, answer: nil)
                        #expect(posted.status == .ok)
                    }
                }
                try await tasks.waitForAll()
            }
            let rows = try await app.outbox(after: mark)
            #expect(rows.count == 24)
            let ids = try rows.map { try $0.messageID }
            #expect(ids == ids.sorted())
            #expect(Set(ids).count == 24)
        }
    }

    @Test func aMemberRemovedWhilePostsArriveGetsNothingAfterTheirRemoval() async throws {
        try await withChatApp { app in
            for round in 0..<20 {
                let group = try await app.createGroup(as: Self.alice, title: "Round \(round)", members: [2, 3])
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    for index in 0..<3 {
                        tasks.addTask {
                            _ = try await app.post("b\(index)", in: group, as: Self.bob, answer: nil)
                        }
                        tasks.addTask {
                            // Carol too: refused (403) once she is out.
                            _ = try await app.post("c\(index)", in: group, as: Self.carol, answer: nil)
                        }
                    }
                    tasks.addTask {
                        let removed = try await app.send(.delete, "/private/\(group)/members/3/", as: Self.alice)
                        #expect(removed.status == .ok)
                    }
                    try await tasks.waitForAll()
                }
                // Carol's events of this group (a chat-list item names it by `id`, the others by `chat_id`).
                let carols = try await app.outbox().filter { row in
                    guard row.recipients.contains(3), let payload = try? app.json(row.payload) else { return false }
                    return (payload["chat_id"] ?? payload["id"]) as? Int == Int(group)
                }
                #expect(carols.last?.type == "CHAT_MEMBER_REMOVE", "round \(round)")
                #expect(carols.filter { $0.type == "CHAT_MEMBER_REMOVE" }.count == 1)
                // Every message she got was stored before her removal's system message.
                let removal = try await app.integer(
                    "SELECT max(id)::int FROM chat.messages WHERE chat_id = \(group) AND type = 'member_remove'"
                )
                let received = carols.filter { $0.type == "MESSAGE_CREATE" }.compactMap { try? $0.messageID }
                #expect(received.allSatisfy { $0 < removal })
                let total = try await app.integer(
                    "SELECT count(*)::int FROM chat.messages WHERE chat_id = \(group) AND id < \(removal)"
                )
                #expect(received.count == total, "round \(round)")
            }
        }
    }
}

/// One row of `events.outbox`.
struct OutboxRow: Sendable {
    var id: Int64
    var type: String
    var recipients: Set<Int64>
    var payload: String
    var session: String?
    var nonce: String?

    /// The `id` of a `MESSAGE_CREATE`'s message.
    var messageID: Int64 {
        get throws {
            let object = try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
            guard let id = object?["id"] as? Int else { throw OutboxTestError(detail: "no id in \(payload)") }
            return Int64(id)
        }
    }
}

struct OutboxTestError: Error {
    var detail: String
}

extension ChatFixture {
    /// The outbox rows after `id`, oldest first.
    func outbox(after id: Int64 = 0) async throws -> [OutboxRow] {
        let rows = try await database.query(
            """
            SELECT id, type, recipients, payload, origin_session, nonce FROM events.outbox
            WHERE id > \(id) ORDER BY id
            """,
            logger: Logger(label: "outbox-test")
        )
        var result: [OutboxRow] = []
        for try await (id, type, recipients, payload, session, nonce) in rows.decode(
            (Int64, String, [Int64], String, String?, String?).self
        ) {
            result.append(
                OutboxRow(
                    id: id,
                    type: type,
                    recipients: Set(recipients),
                    payload: payload,
                    session: session,
                    nonce: nonce
                )
            )
        }
        return result
    }

    /// The newest outbox id (0: none).
    func lastOutboxID() async throws -> Int64 {
        Int64(try await integer("SELECT COALESCE(max(id), 0)::int FROM events.outbox"))
    }

    /// Sends a request as `caller` with extra `headers`; the status and the body as text.
    func raw(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as caller: Caller,
        json: String? = nil,
        headers extra: HTTPFields = HTTPFields()
    ) async throws -> (status: HTTPResponse.Status, body: String) {
        var headers = gatewayHeaders(caller: caller)
        headers.append(contentsOf: extra)
        return try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: json.map { ByteBuffer(string: $0) }
        ) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// Posts `text` to `chatID` as `caller`; the status and the new message's id (0 when refused).
    func post(
        _ text: String,
        in chatID: Int64,
        as caller: Caller,
        answer: Int64?
    ) async throws -> (status: HTTPResponse.Status, id: Int64) {
        let json = answer.map { #"{"text": "\#(text)", "message_answer_id": \#($0)}"# } ?? #"{"text": "\#(text)"}"#
        let answer = try await send(.post, "/private/add-message/\(chatID)/", as: caller, json: json)
        return (answer.status, Int64((answer.json as? [String: Any])?["id"] as? Int ?? 0))
    }

    /// The message `id` exactly as the page of messages lists it to `caller` (the page of one around it).
    func listedMessage(_ id: Int64, in chatID: Int64, as caller: Caller) async throws -> String {
        let page = try await raw(.get, "/private/\(chatID)/messages?around=\(id)&limit=1", as: caller)
        guard page.status == .ok, page.body.hasPrefix("["), page.body.hasSuffix("]") else {
            throw OutboxTestError(detail: "page: \(page)")
        }
        return String(page.body.dropFirst().dropLast())
    }

    /// The first (most recently active) chat of `caller`'s chat list, exactly as the list answers it.
    func newestChatListItem(as caller: Caller) async throws -> String {
        let list = try await raw(.get, "/private/chat-list/?limit=1", as: caller)
        guard list.status == .ok, list.body.hasPrefix("["), list.body.hasSuffix("]") else {
            throw OutboxTestError(detail: "list: \(list)")
        }
        return String(list.body.dropFirst().dropLast())
    }

    /// The `CHAT_UPDATE` object of a group as its info shows it to `caller` (``canonical(_:)``).
    func chatUpdate(of group: Int64, as caller: Caller) async throws -> String {
        guard let info = try await send(.get, "/private/\(group)/info/", as: caller).json as? [String: Any] else {
            throw OutboxTestError(detail: "no info of \(group)")
        }
        let members = (info["members"] as? [[String: Any]] ?? []).map {
            ["id": $0["id"] ?? 0, "role": $0["role"] ?? ""]
        }
        let owner = (info["owner"] as? [String: Any])?["id"] ?? NSNull()
        let object: [String: Any] = [
            "id": Int(group), "chat_id": Int(group), "type": "group", "title": info["title"] ?? NSNull(),
            "owner_id": owner, "members": members,
        ]
        return try canonical(object)
    }

    /// A JSON value as text with sorted keys, to compare values whatever their members' order.
    func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    /// `text` parsed as a JSON object.
    func json(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw OutboxTestError(detail: "not an object: \(text)")
        }
        return object
    }
}
