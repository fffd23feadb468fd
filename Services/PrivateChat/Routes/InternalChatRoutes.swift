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
}
