import Testing

@testable import PrivateChat

@Suite struct KnownChatsTests {
    @Test func aRememberedChatIsFoundAndAnUnknownOneIsNot() {
        let known = KnownChats(capacity: 10)
        #expect(known.chat(id: 1) == nil)
        known.remember(Chat(id: 1, starterID: 5, recipientID: 6))
        #expect(known.chat(id: 1) == Chat(id: 1, starterID: 5, recipientID: 6))
        #expect(known.chat(id: 2) == nil)
    }

    @Test func itNeverHoldsMoreThanItsCapacity() {
        let known = KnownChats(capacity: 3)
        for id in Int64(1)...10 {
            known.remember(Chat(id: id, starterID: id, recipientID: id + 1))
            #expect(known.count == min(Int(id), 3))
            // The newest chat is always kept.
            #expect(known.chat(id: id)?.starterID == id)
        }
        // Remembering a chat it holds again does not evict another.
        known.remember(Chat(id: 10, starterID: 10, recipientID: 11))
        #expect(known.count == 3)
    }
}
