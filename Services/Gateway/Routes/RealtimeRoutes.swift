import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import Shared

/// The real-time gateway WebSocket, `/gateway/ws/`: one connection per client carries every event of
/// every chat of its user (Discord's gateway: hello, identify, READY, heartbeats, dispatches, resume).
///
/// Each connection is a reader (this route's task: the client's frames, one at a time) and a writer
/// (a child task draining the connection's queue), so events are written in order while a slow call made
/// for the client's `send_message` is in flight. Events come from the ``OutboxReader`` through the
/// ``ConnectionRegistry``; a resume replays them from PostgreSQL, so it works on any instance.
public struct RealtimeRoutes: Sendable {
    let registry: ConnectionRegistry
    let store: PostgresEventStore
    let verifier: TokenVerifier
    let chat: ServiceClient
    let users: UsersServiceDirectory
    let settings: RealtimeSettings
    let typingLimiter = TypingLimiter()
    /// `PUBLIC_URL`, from which `resume_gateway_url` is made (else the request's host).
    let publicURL: String?

    /// Chats listed in READY: the first page of the chat list, most recently active first.
    static let readyChatLimit = 200
    /// Events replayed per statement on resume.
    static let replayPage = 1000

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        router.ws(RouterPath(WebSocketPaths.gateway)) { inbound, outbound, context in
            await serve(
                inbound: inbound,
                outbound: outbound,
                host: context.request.head.authority,
                logger: context.logger
            )
        }
    }

    /// One connection's life.
    @inline(never)
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, host: String?, logger: Logger) async
    {
        let connection = GatewayConnection(settings: settings)
        registry.add(connection)
        connection.send(GatewayFrame.hello(heartbeatInterval: settings.heartbeatMilliseconds))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Self.write(connection, to: outbound) }
            await read(inbound, for: connection, host: host, logger: logger)
            connection.finish()
            await group.waitForAll()
        }
        registry.remove(connection)
    }

    /// Writes the connection's queue until it ends or a close frame is written.
    static func write(_ connection: GatewayConnection, to outbound: WebSocketOutboundWriter) async {
        for await item in connection.outgoing {
            switch item {
            case .text(let text):
                do {
                    try await outbound.write(.text(text))
                } catch {
                    connection.finish()
                    return
                }
                connection.didWrite()
            case .close(let code, let reason):
                try? await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
                return
            }
        }
    }

    /// Answers the client's frames until it goes.
    @inline(never)
    func read(_ inbound: WebSocketInboundStream, for connection: GatewayConnection, host: String?, logger: Logger) async
    {
        var messages = inbound.messages(maxSize: GatewayCommand.maxFrameBytes).makeAsyncIterator()
        while true {
            let message: WebSocketMessage?
            do {
                message = try await messages.next()
            } catch {
                logger.debug("gateway_ws.read_failed", metadata: ["error": "\(error)"])
                return
            }
            guard let message else { return }
            guard connection.countFrame() else {
                connection.close(code: GatewayCloseCode.rateLimited, reason: "Too many frames")
                continue
            }
            guard case .text(let text) = message else {
                connection.send(GatewayFrame.error(.invalid("Frames are JSON text")))
                continue
            }
            switch GatewayCommand.parse(text) {
            case .failure(let refusal):
                connection.send(GatewayFrame.error(refusal))
            case .success(let command):
                await handle(command, from: connection, host: host, logger: logger)
            }
        }
    }

    /// Carries out one command.
    @inline(never)
    func handle(_ command: GatewayCommand, from connection: GatewayConnection, host: String?, logger: Logger) async {
        switch command {
        case .heartbeat:
            connection.heartbeat()
            connection.send(GatewayFrame.heartbeatAck)
        case .identify(let token):
            guard connection.awaitsIdentity else { return alreadyIdentified(connection, op: "identify") }
            await identify(connection, token: token, host: host, logger: logger)
        case .resume(let token, let sessionID, let sequence):
            guard connection.awaitsIdentity else { return alreadyIdentified(connection, op: "resume") }
            await resume(connection, token: token, sessionID: sessionID, after: sequence, logger: logger)
        case .sendMessage(let chatID, let text, let answerID, let nonce):
            await forward(
                from: connection,
                op: "send_message",
                nonce: nonce,
                path: "/private/add-message/\(chatID)/",
                body: SendMessageBody(text: text, messageAnswerID: answerID, nonce: nonce),
                logger: logger
            )
        case .read(let chatID, let messageID):
            await forward(
                from: connection,
                op: "read",
                nonce: nil,
                path: "/private/\(chatID)/read/",
                body: ReadBody(messageID: messageID),
                logger: logger
            )
        case .typing(let chatID):
            await typing(in: chatID, from: connection, logger: logger)
        }
    }

    func alreadyIdentified(_ connection: GatewayConnection, op: String) {
        connection.send(
            GatewayFrame.error(
                GatewayCommand.Refusal(
                    code: Int(GatewayCloseCode.alreadyAuthenticated),
                    detail: "Already identified",
                    op: op
                )
            )
        )
    }

    /// The caller a token proves, or `nil` after closing the connection with 4004.
    func caller(of token: String, closing connection: GatewayConnection, logger: Logger) async -> Caller? {
        do {
            return try await verifier.caller(authorization: "Bearer " + token, logger: logger)
        } catch {
            connection.close(code: GatewayCloseCode.authenticationFailed, reason: "Authentication failed")
            return nil
        }
    }

    /// `identify`: a new gateway session, then READY with the user and their chats, then live events.
    func identify(_ connection: GatewayConnection, token: String, host: String?, logger: Logger) async {
        guard let caller = await caller(of: token, closing: connection, logger: logger) else { return }
        let sessionID = Self.newSessionID()
        do {
            try await store.createSession(sessionID, userID: caller.userID, logger: logger)
        } catch {
            return unavailable(connection, error: error, logger: logger)
        }
        connection.heartbeat()
        connection.identify(userID: caller.userID, authSessionID: caller.sessionID, sessionID: sessionID)
        // Subscribed before the chat list is read, and after everything committed so far is numbered:
        // READY's state covers the events up to `position`, and every later one follows it. One that
        // commits while the list is read may be in both (a client applies events by id).
        let subscribed = registry.subscribe(connection, userID: caller.userID)
        do {
            let position = max(subscribed, try await store.sequence(logger: logger).lastPosition)
            let requestID = "gateway-ready-\(sessionID.prefix(8))"
            async let user = users.summaries(of: [caller.userID], requestID: requestID, logger: logger)
            async let chats = chat.send(
                .get,
                "/private/chat-list/?limit=\(Self.readyChatLimit)",
                caller: caller,
                requestID: requestID,
                logger: logger
            )
            let (summaries, list) = try await (user, chats)
            guard list.isSuccess else { throw APIError.unavailable(chat.name) }
            let ready = ReadyPayload(
                sessionID: sessionID,
                user: summaries[caller.userID] ?? UserSummary(id: caller.userID, username: "", avatarURL: nil),
                chats: String(decoding: list.body, as: UTF8.self),
                resumeURL: resumeURL(host: host)
            )
            var writer = JSONWriter(capacity: list.body.count + 256)
            ready.write(to: &writer)
            connection.goLive(
                sending: [GatewayFrame.dispatch("READY", sequence: position, payload: writer.text)],
                after: position
            )
        } catch {
            unavailable(connection, error: error, logger: logger)
        }
    }

    /// `resume`: the events the session missed after `sequence`, then RESUMED, then live events; or
    /// `invalid_session` when they are no longer all kept (the connection may identify again).
    func resume(
        _ connection: GatewayConnection,
        token: String,
        sessionID: String,
        after sequence: Int64,
        logger: Logger
    ) async {
        guard let caller = await caller(of: token, closing: connection, logger: logger) else { return }
        do {
            let owner = try await store.sessionUser(sessionID, maxAge: settings.sessionLifetime, logger: logger)
            // Everything committed before the resume is numbered, and replayed before RESUMED.
            let numbered = try await store.sequence(logger: logger).lastPosition
            guard owner == caller.userID, sequence <= numbered,
                try await store.horizon(of: caller.userID, logger: logger) <= sequence
            else {
                connection.send(GatewayFrame.invalidSession(resumable: false))
                return
            }
            connection.heartbeat()
            connection.identify(userID: caller.userID, authSessionID: caller.sessionID, sessionID: sessionID)
            // What the reader delivered before this subscription (numbered later than `numbered` or not)
            // is replayed too; what it delivers after is buffered until the replay is sent.
            let position = max(registry.subscribe(connection, userID: caller.userID), numbered)
            var frames: [String] = []
            var cursor = sequence
            while cursor < position {
                let page = try await store.events(
                    of: caller.userID,
                    after: cursor,
                    through: position,
                    limit: Self.replayPage,
                    logger: logger
                )
                for event in page { frames.append(GatewayFrame.dispatch(event, to: sessionID)) }
                guard let next = page.last?.position, page.count == Self.replayPage else { break }
                cursor = next
            }
            // Pruned while it was read: what was read may have a hole.
            guard try await store.horizon(of: caller.userID, logger: logger) <= sequence else {
                connection.close(code: GatewayCloseCode.unknownError, reason: "Session expired, identify again")
                return
            }
            frames.append(GatewayFrame.dispatch("RESUMED", sequence: nil, payload: "{}"))
            connection.goLive(sending: frames, after: position)
        } catch {
            unavailable(connection, error: error, logger: logger)
        }
    }

    /// Makes a REST call of PrivateChat for the client (`send_message`, `read`); a refusal comes back as
    /// an `error` frame with the HTTP status as its code. Success needs no answer: its event follows.
    func forward(
        from connection: GatewayConnection,
        op: String,
        nonce: String?,
        path: String,
        body: some Encodable & Sendable,
        logger: Logger
    ) async {
        guard let caller = identifiedCaller(of: connection, op: op, nonce: nonce), let sessionID = connection.sessionID
        else { return }
        var headers = HTTPFields()
        headers[InternalHeaders.gatewaySession] = sessionID
        do {
            let reply = try await chat.send(
                .post,
                path,
                body: body,
                caller: caller,
                requestID: "gateway-\(op)-\(sessionID.prefix(8))",
                headers: headers,
                logger: logger
            )
            if !reply.isSuccess { refuse(connection, reply: reply, op: op, nonce: nonce) }
        } catch {
            unavailable(connection, op: op, nonce: nonce, error: error)
        }
    }

    /// `typing`: the other members of the chat get TYPING_START, on every gateway (at most one per chat
    /// per 5 s per user; the rest are dropped without an answer).
    func typing(in chatID: Int64, from connection: GatewayConnection, logger: Logger) async {
        guard let caller = identifiedCaller(of: connection, op: "typing", nonce: nil) else { return }
        guard typingLimiter.allows(userID: caller.userID, chatID: chatID) else { return }
        do {
            let reply = try await chat.send(
                .get,
                InternalRoute.chatMembers.path(id: chatID),
                caller: caller,
                requestID: "gateway-typing-\(chatID)",
                logger: logger
            )
            guard reply.isSuccess else { return refuse(connection, reply: reply, op: "typing", nonce: nil) }
            let members = try reply.decode([Int64].self, from: chat.name)
            let notice = TypingStart(
                chatID: chatID,
                userID: caller.userID,
                timestamp: Int64(Date().timeIntervalSince1970)
            )
            try await store.announce(
                TypingStart.type,
                payload: notice.jsonText,
                to: members.filter { $0 != caller.userID },
                logger: logger
            )
        } catch {
            unavailable(connection, op: "typing", nonce: nil, error: error)
        }
    }

    /// The caller of an identified connection; `nil` after telling the client to identify first.
    func identifiedCaller(of connection: GatewayConnection, op: String, nonce: String?) -> Caller? {
        guard !connection.awaitsIdentity, let userID = connection.userID, let session = connection.authSessionID else {
            connection.send(
                GatewayFrame.error(GatewayCommand.Refusal(code: 4003, detail: "Identify first", op: op), nonce: nonce)
            )
            return nil
        }
        return Caller(userID: userID, sessionID: session)
    }

    /// The chat service refused a call made for the client: an `error` frame with its status and detail.
    func refuse(_ connection: GatewayConnection, reply: ServiceClient.Reply, op: String, nonce: String?) {
        let refusal = GatewayCommand.Refusal(code: reply.status, detail: reply.detail ?? "Refused", op: op)
        connection.send(GatewayFrame.error(refusal, nonce: nonce))
    }

    /// A call made for the client failed: an `error` frame with 503.
    func unavailable(_ connection: GatewayConnection, op: String, nonce: String?, error: any Error) {
        let detail = (error as? APIError)?.detail ?? "Service unavailable"
        connection.send(GatewayFrame.error(GatewayCommand.Refusal(code: 503, detail: detail, op: op), nonce: nonce))
    }

    /// A dependency failed while starting the session: the client reconnects with backoff.
    func unavailable(_ connection: GatewayConnection, error: any Error, logger: Logger) {
        logger.warning("gateway_ws.start_failed", metadata: ["error": "\(String(reflecting: error))"])
        connection.close(code: GatewayCloseCode.unknownError, reason: "Try again")
    }

    /// Where a client resumes: this gateway's public address (any instance serves a resume).
    func resumeURL(host: String?) -> String {
        if let publicURL, publicURL.hasPrefix("http") {
            var base = publicURL
            while base.hasSuffix("/") { base.removeLast() }
            return "ws" + base.dropFirst(4) + WebSocketPaths.gateway + "/"
        }
        return "ws://" + (host ?? "localhost") + WebSocketPaths.gateway + "/"
    }

    /// 128 random bits, hex.
    static func newSessionID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

/// READY's `d`.
struct ReadyPayload: JSONWritable {
    var sessionID: String
    var user: UserSummary
    /// The chat list's JSON array, as PrivateChat answered it.
    var chats: String
    var resumeURL: String

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("session_id", sessionID)
            object.field("user", user)
            object.field("chats", rawJSON: chats)
            object.field("resume_gateway_url", resumeURL)
        }
    }
}

/// The body of `POST /private/add-message/{chat_id}/` for `send_message`.
struct SendMessageBody: Encodable, Sendable {
    var text: String
    var messageAnswerID: Int64?
    var nonce: String?

    enum CodingKeys: String, CodingKey {
        case text, nonce
        case messageAnswerID = "message_answer_id"
    }
}

/// The body of `POST /private/{chat_id}/read/` for `read`.
struct ReadBody: Encodable, Sendable {
    var messageID: Int64

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
    }
}
