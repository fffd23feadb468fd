import Foundation
import NIOCore
import Shared
import Testing

@testable import PrivateChat

@Suite struct MessageOutputTests {
    /// The bytes of a page of messages, read back as a client reads them.
    @Test func aPageIsWrittenAsTheSeedListsMessages() throws {
        let owner = UserSummary(id: 7, username: "alice \"a/b\"", avatarURL: "https://cdn.example.com/a.png")
        let page = [
            MessageOutput(
                Message(
                    id: 2,
                    chatID: 9,
                    ownerID: 7,
                    text: "Привет\n🙂 / \\",
                    answerID: 1,
                    createdAt: Date(timeIntervalSince1970: 1_795_000_000.123)
                ),
                owner: owner
            ),
            MessageOutput(
                Message(
                    id: 1,
                    chatID: 9,
                    ownerID: 8,
                    text: "alice added bob",
                    answerID: nil,
                    createdAt: Date(timeIntervalSince1970: 0),
                    type: "member_add",
                    data: #"{"actor_id":7,"user_id":8}"#,
                    editedAt: Date(timeIntervalSince1970: 60)
                ),
                owner: .missing(8)
            ),
        ]
        var writer = JSONWriter()
        writer.array(page) { writer, message in message.write(to: &writer) }
        let text = String(buffer: writer.buffer)
        #expect(text.hasPrefix(#"[{"id":2,"text":"Привет\n🙂 / \\","answer":1,"chat_id":9,"#))
        let messages = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(messages.count == 2)
        #expect(messages[0]["id"] as? Int == 2)
        #expect(messages[0]["text"] as? String == "Привет\n🙂 / \\")
        #expect(messages[0]["answer"] as? Int == 1)
        #expect(messages[0]["chat_id"] as? Int == 9)
        let firstOwner = try #require(messages[0]["message_owner"] as? [String: Any])
        #expect(firstOwner["id"] as? Int == 7)
        #expect(firstOwner["username"] as? String == "alice \"a/b\"")
        #expect(firstOwner["avatar_url"] as? String == "https://cdn.example.com/a.png")
        #expect(messages[0]["created_at"] as? String == "2026-11-18T11:06:40Z")
        #expect(messages[1]["answer"] is NSNull)
        #expect(messages[1]["text"] as? String == "alice added bob")
        #expect(messages[0]["type"] as? String == "default")
        #expect(messages[0]["data"] is NSNull)
        #expect(messages[0]["edited_at"] is NSNull)
        #expect(messages[1]["type"] as? String == "member_add")
        let data = try #require(messages[1]["data"] as? [String: Any])
        #expect(data["actor_id"] as? Int == 7 && data["user_id"] as? Int == 8)
        #expect(messages[1]["edited_at"] as? String == "1970-01-01T00:01:00Z")
        let secondOwner = try #require(messages[1]["message_owner"] as? [String: Any])
        #expect(secondOwner["username"] as? String == "deleted user")
        #expect(secondOwner["avatar_url"] is NSNull)
        #expect(messages[1]["created_at"] as? String == "1970-01-01T00:00:00Z")
    }
}
