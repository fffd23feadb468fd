import Foundation
import NIOCore
import Shared
import Testing

@testable import PrivateChat

@Suite struct MessageOutputTests {
    @Test func aPageIsTheSameJSONAsJSONEncoderWrites() throws {
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
        let written = try JSONSerialization.jsonObject(with: Data(String(buffer: writer.buffer).utf8)) as? NSArray
        let encoded = try JSONSerialization.jsonObject(with: try JSONEncoder.api.encode(page)) as? NSArray
        #expect(written != nil && written == encoded)
        #expect(String(buffer: writer.buffer).hasPrefix(#"[{"id":2,"text":"Привет\n🙂 / \\","answer":1,"chat_id":9,"#))
    }
}
