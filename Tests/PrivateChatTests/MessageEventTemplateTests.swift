import Foundation
import Shared
import Testing

@testable import PrivateChat

/// The event payload the posting statement assembles is the message object `MessageOutput` writes.
@Suite struct MessageEventTemplateTests {
    @Test(arguments: [
        "plain",
        #"a text with "created_at":"9999-12-31T23:59:59Z" and {"id":-9223372036854775808,"#,
        "Привет 👋 \u{0001} \\ / \n",
    ])
    func theAssembledPayloadIsTheListedMessage(text: String) throws {
        let owner = UserSummary(id: 7, username: "ann\"a", avatarURL: "https://example.com/a.png")
        let template = try #require(
            MessageEventTemplate(chatID: 3, ownerID: 7, text: text, answerID: 11, owner: owner)
        )
        let createdAt = Date(timeIntervalSince1970: 1_735_732_805.75)
        let message = Message(id: 42, chatID: 3, ownerID: 7, text: text, answerID: 11, createdAt: createdAt)
        #expect(template.payload(id: 42, createdAt: createdAt) == MessageOutput(message, owner: owner).jsonText)
    }
}
