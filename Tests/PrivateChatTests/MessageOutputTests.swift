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
                id: 2,
                text: "Привет\n🙂 / \\",
                answer: 1,
                chatID: 9,
                messageOwner: owner,
                createdAt: Date(timeIntervalSince1970: 1_795_000_000.123)
            ),
            MessageOutput(
                id: 1,
                text: "",
                answer: nil,
                chatID: 9,
                messageOwner: .missing(8),
                createdAt: Date(timeIntervalSince1970: 0)
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
        #expect(messages[1]["text"] as? String == "")
        let secondOwner = try #require(messages[1]["message_owner"] as? [String: Any])
        #expect(secondOwner["username"] as? String == "deleted user")
        #expect(secondOwner["avatar_url"] is NSNull)
        #expect(messages[1]["created_at"] as? String == "1970-01-01T00:00:00Z")
    }
}
