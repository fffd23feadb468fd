import Hummingbird
import Shared

/// Routes only other services call (``InternalRoute``), behind the internal token.
public struct InternalChatRoutes: Sendable {
    let store: PostgresChatStore

    public init(store: PostgresChatStore) {
        self.store = store
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        router.group(context: AuthenticatedRequestContext.self)
            .get(RouterPath(InternalRoute.chatMembers.pattern), use: members)
        router.get(RouterPath(InternalRoute.userContacts.pattern), use: contacts)
    }

    /// The ids of the chat's members, if the caller is one (the gateway's `typing`): 403 for anyone
    /// else, 404 for no such chat.
    @Sendable func members(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("id"))
        let members = try await store.memberIDs(of: chatID, logger: context.logger)
        guard members.contains(context.caller.userID) else {
            _ = try await store.memberAccess(chatID: chatID, userID: context.caller.userID, logger: context.logger)
            throw ChatError.notAMember
        }
        return try members.response()
    }

    /// The ids of the users who share a chat with user `{id}`, without it (Users' `USER_UPDATE`, the
    /// gateway's `PRESENCE_UPDATE`): `[2, 3]`, `[]` for a user in no chat.
    @Sendable func contacts(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        guard let text = context.parameters.get("id"), let userID = Int64(text), userID > 0 else {
            throw ChatError.invalidUserID
        }
        return try await store.contactIDs(of: userID, logger: context.logger).response()
    }
}
