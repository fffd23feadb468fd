import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// Seed 003's REST flow end to end through the gateway, with real services and PostgreSQL.
    @Suite struct SeedFlowTests {
        @Test func wholeFlowThroughTheGateway() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")

                let search = try await api.send(.GET, "/users/user/?username=BOB", token: alice.token)
                #expect(search.status == 200)
                #expect(search.array.count == 1)
                #expect(search.array.first?["username"] as? String == "bob")
                // The seed's three fields, and the presence seed 000 adds.
                #expect(
                    search.array.first?.keys.sorted() == [
                        "avatar_url", "id", "is_online", "last_online_at", "username",
                    ]
                )

                let start = try await api.send(
                    .POST,
                    "/private/start-chat/",
                    json: ["recipient_id": bob.id, "text": "Hi Bob"],
                    token: "Bearer \(alice.token)"
                )
                #expect(start.status == 200)
                let chatID = try #require(start.object["chat_id"] as? Int)

                let first = try #require(
                    try await api.send(.GET, "/private/\(chatID)/messages?limit=1", token: bob.token).array.first?["id"]
                        as? Int
                )
                let reply = try await api.send(
                    .POST,
                    "/private/add-message/\(chatID)/",
                    json: ["text": "Hi Alice", "message_answer_id": first],
                    token: bob.token
                )
                #expect(reply.status == 200)
                #expect(reply.object["detail"] as? String == "Success add.")
                let plain = try await api.send(
                    .POST,
                    "/private/add-message/\(chatID)",
                    json: ["text": "How are you?"],
                    token: alice.token
                )
                #expect(plain.status == 200)

                let page = try await api.send(.GET, "/private/\(chatID)/messages?limit=2&offset=0", token: alice.token)
                #expect(page.status == 200)
                #expect(page.array.map { $0["text"] as? String } == ["How are you?", "Hi Alice"])
                #expect(page.array.last?["answer"] as? Int == first)
                let owner = page.array.last?["message_owner"] as? [String: Any]
                #expect(owner?["id"] as? Int == bob.id)
                #expect(owner?["username"] as? String == "bob")
                let older = try await api.send(.GET, "/private/\(chatID)/messages?limit=2&offset=2", token: alice.token)
                #expect(older.array.map { $0["text"] as? String } == ["Hi Bob"])

                let info = try await api.send(.GET, "/private/\(chatID)/info/", token: alice.token)
                #expect(info.status == 200)
                #expect((info.object["chat_starter"] as? [String: Any])?["id"] as? Int == alice.id)
                #expect((info.object["chat_recipient"] as? [String: Any])?["username"] as? String == "bob")

                let list = try await api.send(.GET, "/private/chat-list/", token: bob.token)
                #expect(list.array.map { $0["id"] as? Int } == [chatID])

                let again = try await api.send(
                    .POST,
                    "/private/start-chat",
                    json: ["recipient_id": alice.id],
                    token: bob.token
                )
                #expect(again.object["chat_id"] as? Int == chatID)
            }
        }

        @Test func registerAnswersSuccessAndRefusesDuplicates() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let first = try await api.register("carol")
                #expect(first.status == 200)
                #expect(first.object["detail"] as? String == "success")
                let sameName = try await api.register("CAROL", email: "other@example.com")
                #expect(sameName.status == 409)
                let sameEmail = try await api.register("carol2", email: "Carol@Example.com")
                #expect(sameEmail.status == 409)
                let russian = try await api.send(
                    .POST,
                    "/auth/register/",
                    json: ["username": "x", "email": "x@example.com", "password": "correct horse"],
                    headers: [("Accept-Language", "ru-RU,ru;q=0.9")]
                )
                #expect(russian.status == 422)
                #expect(russian.detail?.contains("Имя пользователя") == true)
            }
        }

        @Test func loginDoesNotRevealWhichPartWasWrong() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                try await api.register("dave")
                let wrongPassword = try await api.send(
                    .POST,
                    "/auth/login/",
                    json: ["email": "dave@example.com", "password": "not the password"]
                )
                let unknownEmail = try await api.send(
                    .POST,
                    "/auth/login/",
                    json: ["email": "nobody@example.com", "password": "not the password"]
                )
                #expect(wrongPassword.status == 401)
                #expect(unknownEmail.status == 401)
                #expect(wrongPassword.body == unknownEmail.body)
                let ok = try await api.send(
                    .POST,
                    "/auth/login",
                    json: ["email": "DAVE@example.com", "password": "correct horse battery"]
                )
                #expect(ok.status == 200)
                #expect(ok.object["type"] as? String == "Bearer")
                #expect(ok.object["refresh_token"] as? String != nil)
            }
        }
    }
}
