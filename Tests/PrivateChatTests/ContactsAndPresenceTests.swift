import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import PrivateChat

/// Who shares a chat with whom (`GET /internal/users/{id}/contacts`: the recipients of a user's
/// `PRESENCE_UPDATE` and `USER_UPDATE`), and the members' presence in a chat's info.
@Suite struct ContactsAndPresenceTests {
    @Test func contactsAreTheUsersSharingAnyChatOnceEach() async throws {
        try await withChatApp { app in
            _ = try await app.startChat(as: ChatFixture.alice, with: 2)
            _ = try await app.createGroup(as: ChatFixture.alice, members: [2, 3])
            _ = try await app.createGroup(as: ChatFixture.user(4), members: [3, 5])
            #expect(try await app.contacts(of: 1) == [2, 3])
            #expect(try await app.contacts(of: 3) == [1, 2, 4, 5])
            #expect(try await app.contacts(of: 6) == [])
            // A member who left is no longer a contact.
            let left = try await app.createGroup(as: ChatFixture.user(6), members: [5])
            #expect(try await app.contacts(of: 6) == [5])
            #expect(try await app.send(.post, "/private/\(left)/leave/", as: ChatFixture.user(5)).status == .noContent)
            #expect(try await app.contacts(of: 6) == [])
        }
    }

    @Test func contactsNeedTheInternalTokenAndAPositiveID() async throws {
        try await withChatApp { app in
            _ = try await app.startChat(as: ChatFixture.alice, with: 2)
            let anonymous = try await app.client.execute(uri: "/internal/users/1/contacts", method: .get) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(anonymous.0 == .forbidden)
            #expect(anonymous.1.contains("gateway"))
            let invalid = try await app.send(.get, "/internal/users/0/contacts", as: nil)
            #expect(invalid.status == .unprocessableContent)
        }
    }

    @Test func theInfoListsEachMembersPresence() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: ChatFixture.alice, with: 2)
            try await app.database.query(
                "UPDATE users.profiles SET last_online_at = '2025-01-01T12:00:00Z' WHERE id = 1",
                logger: app.logger
            )
            try await app.database.query(
                "UPDATE users.profiles SET last_online_at = now() WHERE id = 2",
                logger: app.logger
            )
            let info = try await app.send(.get, "/private/\(chat)/info/", as: ChatFixture.alice)
            let object = try #require(info.json as? [String: Any])
            let members = try #require(object["members"] as? [[String: Any]])
            #expect(members.map { $0["id"] as? Int } == [1, 2])
            #expect(members[0]["is_online"] as? Bool == false)
            #expect(members[0]["last_online_at"] as? String == "2025-01-01T12:00:00Z")
            #expect(members[1]["is_online"] as? Bool == true)
            #expect(members[1]["last_online_at"] is String)
            // Only the members: the seed's user objects keep their three fields.
            let starter = try #require(object["chat_starter"] as? [String: Any])
            #expect(Set(starter.keys) == ["id", "username", "avatar_url"])
        }
    }
}

extension ChatFixture {
    var logger: Logger { Logger(label: "chat-test") }

    /// `GET /internal/users/{id}/contacts` as Users or a gateway calls it (the internal token, no caller).
    func contacts(of userID: Int64) async throws -> [Int] {
        let answer = try await send(.get, "/internal/users/\(userID)/contacts", as: nil)
        guard answer.status == .ok, let ids = answer.json as? [Int] else {
            throw ChatTestFailure("contacts of \(userID): \(answer.status)")
        }
        return ids
    }
}

struct ChatTestFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
