import HTTPTypes
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
        group.post("{chat_id}/read", use: markRead)
        group.post("{chat_id}/read-all", use: markAllRead)
    }

    /// 8: starts a chat with `recipient_id` (or finds the existing one) and posts `text` if given.
    @Sendable func startChat(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: StartChatInput.self)
        let me = context.caller.userID
        guard input.recipientID != me else { throw ChatError.chatWithYourself }
        let text = input.text.flatMap { $0.isEmpty ? nil : $0 }
        if let text { try ChatRules.validate(text: text) }
        // Both users, in one call: the recipient must exist, and the events show each to the other.
        let known = try await directory.summaries(
            of: [input.recipientID, me],
            requestID: context.requestID,
            logger: context.logger
        )
        guard known[input.recipientID] != nil else { throw ChatError.recipientNotFound }
        let result = try await store.startChat(
            starterID: me,
            recipientID: input.recipientID,
            firstText: text,
            names: known,
            logger: context.logger
        )
        return try StartChatOutput(chatID: result.chatID, created: result.created).response()
    }

    /// 9: a page of messages, newest first, each with its owner's summary (one call to Users per page):
    /// by `offset`, or from a message id `before`, `after` or `around` (the catch-up of a reconnecting
    /// client: ids lose nothing, timestamps can). `X-Has-More` says whether more lie beyond the page.
    @Sendable func messages(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let query = request.uri.queryParameters
        let limit = try ChatRules.limit(query.get("limit"), in: ChatRules.limitRange, fallback: ChatRules.defaultLimit)
        let page = try MessagePageQuery.parse(
            offset: query.get("offset"),
            before: query.get("before"),
            after: query.get("after"),
            around: query.get("around")
        )
        let (messages, hasMore) = try await store.messages(
            chatID: chatID,
            userID: context.caller.userID,
            limit: limit,
            page: page,
            logger: context.logger
        )
        let owners = try await directory.summaries(
            of: Set(messages.map(\.ownerID)),
            requestID: context.requestID,
            logger: context.logger
        )
        var response = messages.map { MessageOutput($0, owner: owners[$0.ownerID] ?? .missing($0.ownerID)) }
            .jsonResponse()
        response.headers[ChatHeaders.hasMore] = hasMore ? "true" : "false"
        return response
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

    /// 11: appends a message, optionally answering another message of the same chat. `@username`s of
    /// members are stored with it as mentions (looked up only when the text has an `@`). An optional
    /// `nonce` makes a retry store nothing and answer the first message's id; sent through the gateway's
    /// WebSocket (`X-Gateway-Session`), the nonce is echoed to that connection in the `MESSAGE_CREATE`.
    @Sendable func addMessage(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let input = try await request.decodeJSON(as: AddMessageInput.self)
        try ChatRules.validate(text: input.text)
        if let nonce = input.nonce { try ChatRules.validate(nonce: nonce) }
        let (owner, mentions) = try await authorAndMentions(in: input.text, chatID: chatID, context: context)
        let posted = try await store.post(
            chatID: chatID,
            ownerID: context.caller.userID,
            text: input.text,
            answerID: input.messageAnswerID,
            mentions: mentions,
            nonce: input.nonce,
            session: request.headers[InternalHeaders.gatewaySession],
            owner: owner,
            logger: context.logger
        )
        return AddMessageOutput(id: posted.id).response()
    }

    /// The author's summary (the `message_owner` of the message's event) and the ids of the members of
    /// `chatID` whom `text` mentions, the author aside: one call to Users.
    func authorAndMentions(
        in text: String,
        chatID: Int64,
        context: AuthenticatedRequestContext
    ) async throws -> (owner: UserSummary, mentions: [Int64]) {
        let me = context.caller.userID
        var names: Set<String> = []
        if text.utf8.contains(UInt8(ascii: "@")) { names = Mentions.usernames(in: text) }
        var members: [Int64] = []
        if !names.isEmpty {
            members = try await store.memberIDs(of: chatID, logger: context.logger)
            if !members.contains(me) { members = [] }
        }
        let summaries = try await directory.summaries(
            of: Set(members + [me]),
            requestID: context.requestID,
            logger: context.logger
        )
        let mentions = summaries.values.filter { $0.id != me && names.contains($0.username.lowercased()) }
            .map(\.id).sorted()
        return (summaries[me] ?? .missing(me), mentions)
    }

    /// Moves the caller's read marker forward to `message_id` (never back; a message of another chat
    /// or none is 422).
    @Sendable func markRead(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let input = try await request.decodeJSON(as: MarkReadInput.self)
        let marker = try await store.markRead(
            chatID: chatID,
            userID: context.caller.userID,
            messageID: input.messageID,
            logger: context.logger
        )
        return try ReadMarkerOutput(chatID: chatID, lastReadMessageID: marker).response()
    }

    /// Marks every message of the chat read (seed 000's `read_all`).
    @Sendable func markAllRead(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let chatID = try ChatRules.chatID(from: context.parameters.get("chat_id"))
        let marker = try await store.markAllRead(chatID: chatID, userID: context.caller.userID, logger: context.logger)
        return try ReadMarkerOutput(chatID: chatID, lastReadMessageID: marker).response()
    }

    /// 12: the caller's chats, most recently active first, each with what a client draws: type, title
    /// or peer, member count, last message, unread and mention counts. `limit` (1-200, default 100) and
    /// the cursor `before`+`before_id` (the last row's `last_activity_at` and `id`) page through them;
    /// one SQL statement and one call to Users per page.
    @Sendable func chatList(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try ChatRules.limit(
            query.get("limit"),
            in: ChatRules.chatListLimitRange,
            fallback: ChatRules.defaultChatListLimit
        )
        let cursor = try ChatListCursor.parse(before: query.get("before"), beforeID: query.get("before_id"))
        let (chats, hasMore) = try await store.chatList(
            of: context.caller.userID,
            limit: limit,
            after: cursor,
            logger: context.logger
        )
        var ids = Set(chats.compactMap(\.peerID))
        for chat in chats { if let owner = chat.lastMessage?.ownerID { ids.insert(owner) } }
        let users = try await directory.summaries(of: ids, requestID: context.requestID, logger: context.logger)
        let summary = { (id: Int64) in users[id] ?? .missing(id) }
        var response = chats.map { chat in
            ChatListItem(
                chat: chat,
                peer: chat.peerID.map(summary),
                lastMessage: chat.lastMessage.map { MessageOutput($0, owner: summary($0.ownerID)) }
            )
        }.jsonResponse()
        response.headers[ChatHeaders.hasMore] = hasMore ? "true" : "false"
        return response
    }
}
