/// The `t` of a gateway dispatch: what happened. Written to the outbox by the service that made the
/// change, delivered unchanged by the gateways.
public enum EventType: String, Sendable, CaseIterable {
    case messageCreate = "MESSAGE_CREATE"
    case messageUpdate = "MESSAGE_UPDATE"
    case messageDelete = "MESSAGE_DELETE"
    case chatCreate = "CHAT_CREATE"
    case chatUpdate = "CHAT_UPDATE"
    case chatDelete = "CHAT_DELETE"
    case chatMemberAdd = "CHAT_MEMBER_ADD"
    case chatMemberRemove = "CHAT_MEMBER_REMOVE"
    case readStateUpdate = "READ_STATE_UPDATE"
    case userUpdate = "USER_UPDATE"
}
