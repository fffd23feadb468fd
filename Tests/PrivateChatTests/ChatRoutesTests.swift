import Foundation
import HTTPTypes
import Shared
import Testing

@testable import PrivateChat

@Suite struct StartChatTests {
    @Test func startingAChatReturnsItsIDAndStoresTheFirstMessage() async throws {
        try await withChatApp { app in
            let answer = try await app.send(
                .post,
                "/private/start-chat/",
                as: ChatFixture.alice,
                json: #"{"recipient_id": 2, "text": "hi"}"#
            )
            #expect(answer.status == .ok)
            let object = try #require(answer.json as? [String: Any])
            #expect(object["chat_id"] as? Int != nil)
            #expect(object["created"] as? Bool == true)
            #expect(try await app.count("messages") == 1)
        }
    }

    @Test func startingAnExistingChatReturnsTheSameID() async throws {
        try await withChatApp { app in
            let first = try await app.startChat(as: ChatFixture.alice, with: 2)
            let again = try await app.startChat(as: ChatFixture.alice, with: 2)
            let reverse = try await app.startChat(as: ChatFixture.bob, with: 1)
            #expect(first == again)
            #expect(first == reverse)
            #expect(try await app.count("chats") == 1)
        }
    }

    /// A start-chat request the route refuses, and the answer it gets.
    struct RefusedStart: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var json: String
        var status: HTTPResponse.Status
        var detail: String
        var path = "/private/start-chat/"
    }

    static let refusedStarts: [RefusedStart] = [
        RefusedStart(
            testDescription: "with yourself",
            json: #"{"recipient_id": 1}"#,
            status: .unprocessableContent,
            detail: "You cannot start a chat with yourself",
            path: "/private/start-chat"
        ),
        RefusedStart(
            testDescription: "with a missing user",
            json: #"{"recipient_id": 999}"#,
            status: .notFound,
            detail: "Recipient not found"
        ),
        RefusedStart(
            testDescription: "with too long a text",
            json: #"{"recipient_id": 2, "text": "\#(String(repeating: "a", count: 4001))"}"#,
            status: .unprocessableContent,
            detail: "Message text must be 1-4000 characters"
        ),
        RefusedStart(
            testDescription: "without a recipient",
            json: #"{"text": "x"}"#,
            status: .unprocessableContent,
            detail: "Field 'recipient_id' is required"
        ),
        RefusedStart(
            testDescription: "with malformed JSON",
            json: "{not json",
            status: .badRequest,
            detail: "Request body is not valid JSON"
        ),
    ]

    @Test(arguments: refusedStarts) func refusedStartWritesNothing(_ refused: RefusedStart) async throws {
        try await withChatApp { app in
            let answer = try await app.send(.post, refused.path, as: ChatFixture.alice, json: refused.json)
            #expect(answer.status == refused.status)
            #expect((answer.json as? [String: Any])?["detail"] as? String == refused.detail)
            #expect(try await app.count("chats") == 0)
            #expect(try await app.count("messages") == 0)
        }
    }

    @Test func routesNeedACaller() async throws {
        try await withChatApp { app in
            let answer = try await app.send(.get, "/private/chat-list/", as: nil)
            #expect(answer.status == .unauthorized)
        }
    }
}

@Suite struct MessageTests {
    @Test func messageTextMustBe1To4000Characters() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: ChatFixture.alice, with: 2)
            for text in ["", "   ", String(repeating: "я", count: 4001)] {
                let answer = try await app.send(
                    .post,
                    "/private/add-message/\(chat)/",
                    as: ChatFixture.alice,
                    json: #"{"text": "\#(text)"}"#
                )
                #expect(answer.status == .unprocessableContent)
            }
            #expect(try await app.count("messages") == 0)
            let longest = String(repeating: "я", count: 4000)
            let ok = try await app.send(
                .post,
                "/private/add-message/\(chat)",
                as: ChatFixture.alice,
                json: #"{"text": "\#(longest)"}"#
            )
            #expect(ok.status == .ok)
            #expect((ok.json as? [String: Any])?["detail"] as? String == "Success add.")
            #expect(try await app.count("messages") == 1)
        }
    }

    @Test func answerMustBeAMessageOfTheSameChat() async throws {
        try await withChatApp { app in
            let withBob = try await app.startChat(as: ChatFixture.alice, with: 2, text: "hello bob")
            let withCarol = try await app.startChat(as: ChatFixture.alice, with: 3, text: "hello carol")
            let page = try await app.send(.get, "/private/\(withCarol)/messages", as: ChatFixture.alice)
            let carolMessage = try #require((page.json as? [[String: Any]])?.first?["id"] as? Int)
            let wrong = try await app.send(
                .post,
                "/private/add-message/\(withBob)/",
                as: ChatFixture.alice,
                json: #"{"text": "re", "message_answer_id": \#(carolMessage)}"#
            )
            #expect(wrong.status == .unprocessableContent)
            #expect(
                (wrong.json as? [String: Any])?["detail"] as? String
                    == "message_answer_id must be a message of this chat"
            )
            let missing = try await app.send(
                .post,
                "/private/add-message/\(withBob)/",
                as: ChatFixture.alice,
                json: #"{"text": "re", "message_answer_id": 999999}"#
            )
            #expect(missing.status == .unprocessableContent)
            #expect(try await app.count("messages") == 2)

            let bobPage = try await app.send(.get, "/private/\(withBob)/messages", as: ChatFixture.bob)
            let bobMessage = try #require((bobPage.json as? [[String: Any]])?.first?["id"] as? Int)
            let right = try await app.send(
                .post,
                "/private/add-message/\(withBob)/",
                as: ChatFixture.bob,
                json: #"{"text": "re", "message_answer_id": \#(bobMessage)}"#
            )
            #expect(right.status == .ok)
            let after = try await app.send(.get, "/private/\(withBob)/messages?limit=1", as: ChatFixture.bob)
            let newest = try #require((after.json as? [[String: Any]])?.first)
            #expect(newest["answer"] as? Int == bobMessage)
            #expect((newest["message_owner"] as? [String: Any])?["username"] as? String == "bob")
        }
    }

    @Test func messagesAreNewestFirstWithLimitAndOffset() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: ChatFixture.alice, with: 2)
            for index in 1...60 {
                let answer = try await app.send(
                    .post,
                    "/private/add-message/\(chat)/",
                    as: index.isMultiple(of: 2) ? ChatFixture.bob : ChatFixture.alice,
                    json: #"{"text": "m\#(index)"}"#
                )
                #expect(answer.status == .ok)
            }
            let defaultPage = try #require(
                try await app.send(.get, "/private/\(chat)/messages", as: ChatFixture.alice).json as? [[String: Any]]
            )
            #expect(defaultPage.count == 50)
            #expect(defaultPage.first?["text"] as? String == "m60")
            let page = try #require(
                try await app.send(.get, "/private/\(chat)/messages?limit=5&offset=10", as: ChatFixture.alice).json
                    as? [[String: Any]]
            )
            #expect(page.map { $0["text"] as? String } == ["m50", "m49", "m48", "m47", "m46"])
            let first = try #require(page.first)
            #expect(first["chat_id"] as? Int == Int(chat))
            #expect((first["message_owner"] as? [String: Any])?["username"] as? String == "bob")
            #expect((first["message_owner"] as? [String: Any])?.keys.contains("avatar_url") == true)
        }
    }

    @Test func limitAndOffsetAreValidated() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: ChatFixture.alice, with: 2)
            for query in ["limit=0", "limit=101", "limit=abc", "offset=-1", "offset=x"] {
                let answer = try await app.send(.get, "/private/\(chat)/messages?\(query)", as: ChatFixture.alice)
                #expect(answer.status == .unprocessableContent, "\(query)")
            }
            for query in ["limit=1", "limit=100", "offset=0"] {
                let answer = try await app.send(.get, "/private/\(chat)/messages?\(query)", as: ChatFixture.alice)
                #expect(answer.status == .ok, "\(query)")
            }
        }
    }
}

@Suite struct MembershipTests {
    @Test func onlyMembersCanReadPostOrSeeInfo() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: ChatFixture.alice, with: 2, text: "secret")
            let read = try await app.send(.get, "/private/\(chat)/messages", as: ChatFixture.carol)
            let info = try await app.send(.get, "/private/\(chat)/info/", as: ChatFixture.carol)
            let post = try await app.send(
                .post,
                "/private/add-message/\(chat)/",
                as: ChatFixture.carol,
                json: #"{"text": "hi"}"#
            )
            #expect(read.status == .forbidden)
            #expect(info.status == .forbidden)
            #expect(post.status == .forbidden)
            #expect(try await app.count("messages") == 1)
        }
    }

    @Test func unknownAndMalformedChatIDs() async throws {
        try await withChatApp { app in
            let missing = try await app.send(.get, "/private/424242/info", as: ChatFixture.alice)
            let word = try await app.send(.get, "/private/abc/info", as: ChatFixture.alice)
            let negative = try await app.send(.get, "/private/-1/messages", as: ChatFixture.alice)
            #expect(missing.status == .notFound)
            #expect(word.status == .unprocessableContent)
            #expect(negative.status == .unprocessableContent)
        }
    }

    @Test func infoNamesBothMembers() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: ChatFixture.bob, with: 1)
            let info = try #require(
                try await app.send(.get, "/private/\(chat)/info/", as: ChatFixture.alice).json as? [String: Any]
            )
            #expect(info["id"] as? Int == Int(chat))
            #expect((info["chat_starter"] as? [String: Any])?["username"] as? String == "bob")
            #expect((info["chat_recipient"] as? [String: Any])?["username"] as? String == "alice")
        }
    }

    @Test func chatListHasTheCallersChatsMostRecentFirst() async throws {
        try await withChatApp { app in
            let withBob = try await app.startChat(as: ChatFixture.alice, with: 2)
            let withCarol = try await app.startChat(as: ChatFixture.alice, with: 3)
            _ = try await app.send(
                .post,
                "/private/add-message/\(withBob)/",
                as: ChatFixture.bob,
                json: #"{"text": "newest"}"#
            )
            let list = try #require(
                try await app.send(.get, "/private/chat-list/", as: ChatFixture.alice).json as? [[String: Any]]
            )
            #expect(list.map { $0["id"] as? Int } == [Int(withBob), Int(withCarol)])
            let carolList = try #require(
                try await app.send(.get, "/private/chat-list", as: ChatFixture.carol).json as? [[String: Any]]
            )
            #expect(carolList.map { $0["id"] as? Int } == [Int(withCarol)])
        }
    }
}
