import Synchronization

/// Chats this process has read, by id: a chat's members never change and chats are never deleted, so
/// a chat once read stays true, and every request on a chat (reading, posting) can check membership
/// without asking PostgreSQL again.
///
/// Bounded: past ``capacity`` chats an arbitrary one is forgotten for each new one. Only chats that
/// exist are kept (an unknown id may be created later).
final class KnownChats: Sendable {
    let capacity: Int
    private let chats = Mutex<[Int64: Chat]>([:])

    init(capacity: Int = 100_000) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// The chat `id`, if it was read before.
    func chat(id: Int64) -> Chat? {
        chats.withLock { $0[id] }
    }

    /// Keeps `chat`.
    func remember(_ chat: Chat) {
        chats.withLock { chats in
            if chats.count >= capacity, chats[chat.id] == nil { chats.remove(at: chats.startIndex) }
            chats[chat.id] = chat
        }
    }

    var count: Int { chats.withLock { $0.count } }
}
