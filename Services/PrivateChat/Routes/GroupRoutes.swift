import Hummingbird
import Logging
import Shared

/// Group chats under `/private/`: creation, members and roles, leaving, renaming, and deleting a chat
/// (a group by its owner, a private chat by either member). Every change answers the group's info
/// object, except leaving and deleting (204): the caller then has no group to see.
public struct GroupRoutes<Directory: UserDirectory>: Sendable {
    let store: PostgresChatStore
    let directory: Directory
    /// Most members a group may have, its owner included (`GROUP_MAX_MEMBERS`).
    let maxMembers: Int

    public init(store: PostgresChatStore, directory: Directory, maxMembers: Int) {
        self.store = store
        self.directory = directory
        self.maxMembers = maxMembers
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedRequestContext>) {
        group.post("groups", use: create)
        group.put("{chat_id}/members/{user_id}", use: addMember)
        group.delete("{chat_id}/members/{user_id}", use: removeMember)
        group.patch("{chat_id}/members/{user_id}", use: changeRole)
        group.post("{chat_id}/leave", use: leave)
        group.patch("{chat_id}", use: rename)
        group.delete("{chat_id}", use: deleteChat)
    }

    /// `POST /private/groups/` `{title, member_ids}`: a group owned by the caller.
    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: CreateGroupInput.self)
        let me = context.caller.userID
        try GroupRules.validate(title: input.title)
        let others = try GroupRules.otherMembers(input.memberIDs, creator: me, maxMembers: maxMembers)
        let names = try await self.names(of: others + [me], context: context)
        if let unknown = others.first(where: { names[$0] == nil }) { throw ChatError.userNotFound(unknown) }
        let chatID = try await store.createGroup(
            title: input.title,
            creatorID: me,
            memberIDs: others,
            names: names,
            logger: context.logger
        )
        return try await info(chatID, context: context, status: .created)
    }

    /// `PUT /private/{chat_id}/members/{user_id}/`: adds a user (owner or admin; idempotent).
    @Sendable func addMember(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let (chatID, userID) = try Self.target(context)
        // Who may add is settled first: nobody learns from a refusal whether a user exists.
        let (chat, member) = try await store.memberAccess(
            chatID: chatID,
            userID: context.caller.userID,
            logger: context.logger
        )
        guard chat.kind == .group else { throw ChatError.notAGroup }
        guard GroupRules.canManage(member.role) else { throw ChatError.roleForbids }
        let names = try await self.names(of: [userID, context.caller.userID], context: context)
        guard names[userID] != nil else { throw ChatError.userNotFound(userID) }
        try await store.addMember(
            chatID: chatID,
            actorID: context.caller.userID,
            userID: userID,
            maxMembers: maxMembers,
            names: names,
            logger: context.logger
        )
        return try await info(chatID, context: context)
    }

    /// `DELETE /private/{chat_id}/members/{user_id}/`: removes a member; the caller's own id leaves.
    @Sendable func removeMember(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let (chatID, userID) = try Self.target(context)
        guard userID != context.caller.userID else { return try await leave(request, context: context) }
        let names = try await self.names(of: [userID, context.caller.userID], context: context)
        try await store.removeMember(
            chatID: chatID,
            actorID: context.caller.userID,
            userID: userID,
            names: names,
            logger: context.logger
        )
        return try await info(chatID, context: context)
    }

    /// `PATCH /private/{chat_id}/members/{user_id}/` `{role}`: the owner changes a role; `owner`
    /// transfers ownership.
    @Sendable func changeRole(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let (chatID, userID) = try Self.target(context)
        let input = try await request.decodeJSON(as: RoleInput.self)
        guard let role = ChatRole(rawValue: input.role) else { throw ChatError.invalidRole }
        let names = try await self.names(of: [userID, context.caller.userID], context: context)
        try await store.changeRole(
            chatID: chatID,
            actorID: context.caller.userID,
            userID: userID,
            to: role,
            names: names,
            logger: context.logger
        )
        return try await info(chatID, context: context)
    }

    /// `POST /private/{chat_id}/leave/` (seed 002): the caller leaves; 204.
    @Sendable func leave(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let me = context.caller.userID
        // Everyone is named: when the owner leaves, whoever takes over is one of them.
        let (chat, members) = try await store.chatWithMembers(chatID: chatID, userID: me, logger: context.logger)
        guard chat.kind == .group else { throw ChatError.notAGroup }
        let names = try await self.names(of: members.map(\.userID), context: context)
        try await store.leave(chatID: chatID, userID: me, names: names, logger: context.logger)
        return Response(status: .noContent)
    }

    /// `PATCH /private/{chat_id}/` `{title}`: renames a group (owner or admin).
    @Sendable func rename(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let input = try await request.decodeJSON(as: RenameInput.self)
        try GroupRules.validate(title: input.title)
        let names = try await self.names(of: [context.caller.userID], context: context)
        try await store.rename(
            chatID: chatID,
            actorID: context.caller.userID,
            title: input.title,
            names: names,
            logger: context.logger
        )
        return try await info(chatID, context: context)
    }

    /// `DELETE /private/{chat_id}/`: a group by its owner, a private chat by either member, for both; 204.
    @Sendable func deleteChat(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        try await store.deleteChat(chatID: chatID, actorID: context.caller.userID, logger: context.logger)
        return Response(status: .noContent)
    }

    // MARK: - Parts

    /// The chat and user ids of a `/{chat_id}/members/{user_id}` path.
    static func target(_ context: AuthenticatedRequestContext) throws -> (chatID: Int64, userID: Int64) {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        guard let text = context.parameters.get("user_id"), let userID = Int64(text), userID > 0 else {
            throw ChatError.invalidUserID
        }
        return (chatID, userID)
    }

    /// The summaries of `ids` that exist, in one call to Users.
    func names(of ids: [Int64], context: AuthenticatedRequestContext) async throws -> PostgresChatStore.Names {
        try await directory.summaries(of: Set(ids), requestID: context.requestID, logger: context.logger)
    }

    /// The group's info object as the caller sees it now.
    func info(
        _ chatID: Int64,
        context: AuthenticatedRequestContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (chat, members) = try await store.chatWithMembers(
            chatID: chatID,
            userID: context.caller.userID,
            logger: context.logger
        )
        var response = try await ChatInfoResponse.make(
            chat: chat,
            members: members,
            directory: directory,
            requestID: context.requestID,
            logger: context.logger
        )
        response.status = status
        return response
    }
}
