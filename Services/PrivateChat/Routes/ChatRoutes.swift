import Hummingbird
import Shared

/// Seed functions 8-12 under `/private/`, for a caller the gateway verified.
public struct ChatRoutes<Directory: UserDirectory>: Sendable {
    let store: PostgresChatStore
    let directory: Directory

    public init(store: PostgresChatStore, directory: Directory) {
        self.store = store
        self.directory = directory
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedRequestContext>) {
        group.post("start-chat", use: startChat)
        group.get("chat-list", use: chatList)
        group.get("{chat_id}/messages", use: messages)
        group.get("{chat_id}/info", use: info)
        group.post("add-message/{chat_id}", use: addMessage)
    }

    /// 8: starts a chat with `recipient_id` (or finds the existing one) and posts `text` if given.
    @Sendable func startChat(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: StartChatInput.self)
        let me = context.caller.userID
        guard input.recipientID != me else { throw ChatError.chatWithYourself }
        let text = input.text.flatMap { $0.isEmpty ? nil : $0 }
        if let text { try ChatRules.validate(text: text) }
        let known = try await directory.summaries(
            of: [input.recipientID],
            requestID: context.requestID,
            logger: context.logger
        )
        guard known[input.recipientID] != nil else { throw ChatError.recipientNotFound }
        let result = try await store.startChat(
            starterID: me,
            recipientID: input.recipientID,
            firstText: text,
            logger: context.logger
        )
        return try StartChatOutput(chatID: result.chatID, created: result.created).response()
    }

    /// 9: a page of messages, newest first, each with its owner's summary (one call to Users per page).
    @Sendable func messages(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let page = try ChatRules.page(
            limit: request.uri.queryParameters.get("limit"),
            offset: request.uri.queryParameters.get("offset")
        )
        let messages = try await store.messages(
            chatID: chatID,
            userID: context.caller.userID,
            limit: page.limit,
            offset: page.offset,
            logger: context.logger
        )
        let owners = try await directory.summaries(
            of: Set(messages.map(\.ownerID)),
            requestID: context.requestID,
            logger: context.logger
        )
        return messages.map { MessageOutput($0, owner: owners[$0.ownerID] ?? .missing($0.ownerID)) }.jsonResponse()
    }

    /// 10: the chat's id and members (seed 003's shape for a private chat; title, owner and roles for a group).
    @Sendable func info(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let (chat, members) = try await store.chatWithMembers(
            chatID: chatID,
            userID: context.caller.userID,
            logger: context.logger
        )
        return try await ChatInfoResponse.make(
            chat: chat,
            members: members,
            directory: directory,
            requestID: context.requestID,
            logger: context.logger
        )
    }

    /// 11: appends a message, optionally answering another message of the same chat.
    @Sendable func addMessage(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let input = try await request.decodeJSON(as: AddMessageInput.self)
        try ChatRules.validate(text: input.text)
        let message = try await store.post(
            chatID: chatID,
            ownerID: context.caller.userID,
            text: input.text,
            answerID: input.messageAnswerID,
            logger: context.logger
        )
        return try AddMessageOutput(id: message.id).response()
    }

    /// 12: the caller's chats, most recently active first.
    @Sendable func chatList(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chats = try await store.chats(of: context.caller.userID, logger: context.logger)
        return chats.map { ChatListEntry(id: $0) }.jsonResponse()
    }
}
