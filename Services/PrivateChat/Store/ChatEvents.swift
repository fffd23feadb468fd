import Shared

/// The events PrivateChat appends to the outbox (`events.outbox`, ARCHITECTURE.md "Real-time delivery"), in
/// the transaction of the change they describe: each with the users who receive it and its `d` object,
/// written by the same ``JSONWriter`` types as the REST answers, so a client reads the same bytes from
/// either.
enum ChatEvents {
    /// `MESSAGE_CREATE` of `stored` (a member's message or a system message), to the chat's members when it
    /// was posted; the message as `GET /private/{chat_id}/messages` lists it.
    static func messageCreated(
        _ stored: StoredMessage,
        owner: UserSummary,
        origin: (session: String, nonce: String)? = nil
    ) -> OutboxEvent {
        OutboxEvent(
            .messageCreate,
            to: stored.memberIDs,
            payload: MessageOutput(stored.message, owner: owner).jsonText,
            origin: origin
        )
    }

    /// `CHAT_MEMBER_ADD` of `member` to `chatID`, to every member (the new one too).
    static func memberAdded(_ member: MemberOutput, to chatID: Int64, recipients: [Int64]) -> OutboxEvent {
        OutboxEvent(.chatMemberAdd, to: recipients, payload: MemberAddedOutput(chatID: chatID, member: member).jsonText)
    }

    /// `CHAT_MEMBER_REMOVE` of `userID` from `chatID`, to the members before the removal (the removed one
    /// too: it is the last event of the chat they receive).
    static func memberRemoved(_ userID: Int64, from chatID: Int64, recipients: [Int64]) -> OutboxEvent {
        OutboxEvent(
            .chatMemberRemove,
            to: recipients,
            payload: MemberRemovedOutput(chatID: chatID, userID: userID).jsonText
        )
    }

    /// `CHAT_UPDATE` of a group whose title, owner or roles changed, to its members: the group as `stored`
    /// (the system message recording the change) found it.
    static func chatUpdated(_ chat: Chat, title: String?, after stored: StoredMessage) -> OutboxEvent {
        let output = ChatUpdatedOutput(chatID: chat.id, kind: chat.kind, title: title, members: stored.members)
        return OutboxEvent(.chatUpdate, to: stored.memberIDs, payload: output.jsonText)
    }

    /// `CHAT_DELETE` of `chatID`, to its members before the deletion.
    static func chatDeleted(_ chatID: Int64, recipients: [Int64]) -> OutboxEvent {
        OutboxEvent(.chatDelete, to: recipients, payload: ChatDeletedOutput(chatID: chatID).jsonText)
    }

    /// `READ_STATE_UPDATE`: member `userID`'s marker of `chatID` moved to `marker`.
    static func readStateUpdated(chatID: Int64, userID: Int64, marker: Int64, recipients: [Int64]) -> OutboxEvent {
        OutboxEvent(.readStateUpdate, to: recipients, payload: readStatePayload(chatID, userID, marker))
    }

    static func readStatePayload(_ chatID: Int64, _ userID: Int64, _ marker: Int64) -> String {
        ReadStateOutput(chatID: chatID, userID: userID, lastReadMessageID: marker).jsonText
    }

    /// `CHAT_CREATE` events of `rows` (each user's chat-list row of one chat): the chat-list item each
    /// receives, one event per distinct item (the members of a new group share one, the two members of a
    /// private chat see different peers).
    static func chatCreated(
        _ rows: [(userID: Int64, chat: ChatSummary)],
        names: PostgresChatStore.Names
    ) -> [OutboxEvent] {
        let summary = { (id: Int64) in names[id] ?? .missing(id) }
        var events: [OutboxEvent] = []
        for (userID, chat) in rows.sorted(by: { $0.userID < $1.userID }) {
            let item = ChatListItem(
                chat: chat,
                peer: chat.peerID.map(summary),
                lastMessage: chat.lastMessage.map { MessageOutput($0, owner: summary($0.ownerID)) }
            )
            let payload = item.jsonText
            if let index = events.firstIndex(where: { $0.payload == payload }) {
                events[index].recipients.append(userID)
            } else {
                events.append(OutboxEvent(.chatCreate, to: [userID], payload: payload))
            }
        }
        return events
    }
}

/// A message just stored, with the chat's members at that moment: who receives its `MESSAGE_CREATE`.
struct StoredMessage: Sendable {
    var message: Message
    var memberIDs: [Int64]
    /// The members' roles, in the order of `memberIDs` (oldest member first); read for system messages
    /// only, empty for a member's message.
    var roles: [ChatRole] = []

    /// The members with their roles.
    var members: [(id: Int64, role: ChatRole)] { Array(zip(memberIDs, roles)) }
}
