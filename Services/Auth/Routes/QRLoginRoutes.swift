import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Shared

/// QR-code login (seed functions 13 and 14): the phone's ticket, the hub the browser and the phone
/// meet in, the browser's exchange of its one-time `auth_token`, and the QR images.
public struct QRLoginRoutes: Sendable {
    let sealer: QRTicketSealer
    let grants: PostgresQRGrantStore
    let hubs: QRHubRegistry
    let directory: any UserDirectory
    let sessionIssuer: SessionIssuer
    /// The link the QR code encodes, with `{client_id}`.
    let loginURLTemplate: String
    /// How long an `auth_token` may be exchanged.
    let grantLifetime: TimeInterval

    public init(
        sealer: QRTicketSealer,
        grants: PostgresQRGrantStore,
        hubs: QRHubRegistry,
        directory: any UserDirectory,
        sessionIssuer: SessionIssuer,
        loginURLTemplate: String,
        grantLifetime: TimeInterval = 60
    ) {
        self.sealer = sealer
        self.grants = grants
        self.hubs = hubs
        self.directory = directory
        self.sessionIssuer = sessionIssuer
        self.loginURLTemplate = loginURLTemplate
        self.grantLifetime = grantLifetime
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        let auth = router.group("auth")
        auth.group(context: AuthenticatedRequestContext.self).get("encrypt_user_data", use: ticket)
        auth.group(context: AuthenticatedRequestContext.self).get("qr_auth/hub", use: hubInfo)
        auth.get("qr_auth", use: exchange)
        auth.post("qr_auth", use: exchange)
        auth.get("qr_auth/qr.svg", use: svg)
        auth.get("qr_auth/qr.png", use: png)
        router.ws(RouterPath(WebSocketPaths.qrHub)) { inbound, outbound, context in
            await hub(
                inbound: inbound,
                outbound: outbound,
                peer: WebSocketPeer(
                    query: context.request.uri.query ?? "",
                    requestID: context.requestContext.requestID,
                    clientAddress: context.requestContext.clientAddress,
                    userAgent: context.request.headers[.userAgent] ?? ""
                ),
                waitsForRelay: context.request.headers[InternalHeaders.hubRelay] != nil,
                logger: context.logger
            )
        }
    }

    /// The hub route for clients whose connection the gateway of this process accepted
    /// (``LocalService/webSocketHandler(for:)``), logging to `logger`.
    public func hubHandler(logger: Logger) -> LocalService.WebSocketHandler {
        { inbound, outbound, peer in
            await hub(inbound: inbound, outbound: outbound, peer: peer, waitsForRelay: false, logger: logger)
        }
    }

    // MARK: HTTP

    /// The phone's ticket (first half of seed function 14): sealed, naming the caller, valid for two
    /// minutes, bound to `client_id` when given.
    @Sendable func ticket(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let clientID = request.uri.queryParameters.get("client_id")
        if let clientID, !QRClientID.isValid(clientID) { throw QRError.invalidClientID }
        let sealed = try sealer.seal(userID: context.caller.userID, clientID: clientID)
        return try TicketOutput(token: sealed.token, expiresIn: Int(sealer.lifetime)).response()
    }

    /// Seed function 14: the browser trades its `auth_token` (in `Authorization`) and `client_id` for
    /// a session, once; for a hub opened with a `code_challenge`, only together with its `code_verifier`.
    ///
    /// A wrong or missing `code_verifier` is 403 and leaves the grant unspent: whoever else saw the
    /// `auth_token` (the phone, an intruder in the hub) can neither use it nor burn it before the browser does.
    @Sendable func exchange(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let clientID = try Self.clientID(request)
        let verifier = request.uri.queryParameters.get("code_verifier")
        if let verifier, !PKCE.isValidVerifier(verifier) { throw QRError.invalidCodeVerifier }
        guard let token = BearerToken.extract(from: request.headers[.authorization]) else { throw QRError.invalidGrant }
        let hash = Array(SHA256.hash(data: Data(token.utf8)))
        guard let grant = try await grants.pendingGrant(tokenHash: hash, clientID: clientID, logger: context.logger)
        else { throw QRError.invalidGrant }
        guard PKCE.verifies(verifier, against: grant.codeChallenge) else { throw QRError.codeVerifierMismatch }
        guard let userID = try await grants.redeemGrant(tokenHash: hash, clientID: clientID, logger: context.logger)
        else { throw QRError.invalidGrant }
        return try await sessionIssuer.start(for: userID, logger: context.logger).response()
    }

    /// Which device and address opened the hub of `client_id`, for the phone to show before it confirms
    /// (`{"device", "address"}`); only to a logged-in caller, and only from the instance holding the hub
    /// (the gateway routes this path by `client_id`, as it does the hub itself).
    @Sendable func hubInfo(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let clientID = try Self.clientID(request)
        guard let opener = await hubs.opener(of: clientID) else { throw QRError.hubNotOpen }
        return try QRHubInfo(device: opener.device, address: opener.address).response()
    }

    /// The login link for `client_id` as an SVG QR code.
    @Sendable func svg(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let code = try loginCode(for: Self.clientID(request))
        return Self.image(ByteBuffer(string: code.svg()), type: "image/svg+xml")
    }

    /// The login link for `client_id` as a PNG QR code.
    @Sendable func png(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let code = try loginCode(for: Self.clientID(request))
        return Self.image(ByteBuffer(bytes: code.png()), type: "image/png")
    }

    func loginCode(for clientID: String) throws -> QRCode {
        try QRCode(encoding: loginURLTemplate.replacingOccurrences(of: "{client_id}", with: clientID))
    }

    static func image(_ body: ByteBuffer, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    static func clientID(_ request: Request) throws -> String {
        let clientID = request.uri.queryParameters.get("client_id")
        guard QRClientID.isValid(clientID), let clientID else { throw QRError.invalidClientID }
        return clientID
    }

    // MARK: Hub

    /// One client's life in the hub of the `client_id` in `peer`'s query (seed function 13).
    ///
    /// Its async frame, and its callers', stay allocated while the connection is open, so what runs
    /// only once or per message lives in functions of its own, never inlined here.
    @inline(never)
    func hub(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        peer: WebSocketPeer,
        waitsForRelay: Bool,
        logger: Logger
    ) async {
        let client = WebSocketHubClient(outbound: outbound)
        var messages = inbound.messages(maxSize: 8192).makeAsyncIterator()
        if waitsForRelay {
            // The gateway's relay speaks first (`{"op":"relay_ready"}`) once its upgrade is complete;
            // anything sent earlier could be lost in the same read as the 101 response.
            guard (try? await messages.next()) != nil else { return }
        }
        // A missing `client_id` is refused like a malformed one.
        let clientID = Self.clientID(inQuery: peer.query) ?? ""
        guard let memberID = await join(clientID, client: client, peer: peer) else { return }
        do {
            while let message = try await messages.next() {
                await handle(message, in: clientID, memberID: memberID, from: client, peer: peer, logger: logger)
            }
        } catch {
            logger.debug("qr_hub.connection_error", metadata: ["error": "\(error)", "request_id": "\(peer.requestID)"])
        }
        await hubs.leave(clientID: clientID, memberID: memberID)
    }

    /// The `client_id` parameter of a query (without `?`), percent-decoded.
    @inline(never)
    static func clientID(inQuery query: String) -> String? {
        parameter("client_id", inQuery: query)
    }

    /// The first parameter `name` of a query (without `?`), percent-decoded.
    static func parameter(_ name: String, inQuery query: String) -> String? {
        URLComponents(string: "?" + query)?.queryItems?.first { $0.name == name }?.value
    }

    /// The `code_challenge` of a hub query: `nil` when there is none (a seed client).
    /// - Throws: ``QRError/invalidCodeChallenge`` when it is malformed or its method is not S256.
    static func codeChallenge(inQuery query: String) throws -> String? {
        let method = parameter("code_challenge_method", inQuery: query)
        guard let challenge = parameter("code_challenge", inQuery: query) else {
            if method != nil { throw QRError.invalidCodeChallenge }
            return nil
        }
        guard method == PKCE.method, PKCE.isValidChallenge(challenge) else { throw QRError.invalidCodeChallenge }
        return challenge
    }

    /// Adds `client` to the hub of `clientID` and greets it with the hub's timings; `nil` when it may not
    /// join (a malformed `client_id` or `code_challenge`, a full hub, a hub someone else opened for a client
    /// with a `code_challenge`, too many hubs from its address), after telling it why and closing its connection.
    /// A bound opener is told `{"op":"client joined"}` when another client joins its hub.
    @inline(never)
    func join(_ clientID: String, client: WebSocketHubClient, peer: WebSocketPeer) async -> UUID? {
        guard QRClientID.isValid(clientID) else {
            await client.send(QRHubMessage.op("hub is full"))
            await client.close()
            return nil
        }
        let codeChallenge: String?
        do {
            codeChallenge = try Self.codeChallenge(inQuery: peer.query)
        } catch {
            await refuse(client, detail: QRError.invalidCodeChallenge.message)
            return nil
        }
        let memberID = UUID()
        let joinedAt = ContinuousClock.now
        let joined = await hubs.join(
            clientID: clientID,
            address: peer.clientAddress,
            memberID: memberID,
            client: client,
            device: DeviceSummary.describe(userAgent: peer.userAgent),
            codeChallenge: codeChallenge,
            now: joinedAt
        )
        switch joined {
        case .joined:
            break
        case .full:
            await client.send(QRHubMessage.op("clients already in hub"))
            await client.close()
            return nil
        case .rateLimited:
            await refuse(client, detail: "Too many open hubs from this address")
            return nil
        case .atCapacity:
            await refuse(client, detail: "Too many QR logins are open right now, try again later")
            return nil
        case .alreadyOpen:
            await refuse(client, detail: QRError.hubAlreadyOpen.message)
            return nil
        }
        await hubs.boundOpener(of: clientID, joinedBy: memberID)?.send(QRHubMessage.op("client joined"))
        let settings = hubs.settings
        // A client that joins an open hub is told the time the hub has left, not a whole lifetime.
        let remaining = await hubs.remainingLifetime(of: clientID, now: joinedAt) ?? settings.hubLifetime
        await client.send(
            QRHubMessage.json(
                QRHubMessage.Hello(
                    timeoutMS: Self.milliseconds(remaining),
                    heartbeatInterval: Self.milliseconds(settings.heartbeatInterval)
                )
            )
        )
        return memberID
    }

    /// Tells `client` why it may not join (`{"op":"error","detail":...}`) and closes its connection with 1000.
    func refuse(_ client: WebSocketHubClient, detail: String) async {
        await client.send(QRHubMessage.json(QRHubMessage.Failure(detail: detail)))
        await client.close()
    }

    /// Answers one message of a hub client.
    ///
    /// Never inlined, like ``accept(ticket:in:from:logger:)``: what they need while they run would
    /// otherwise be part of the async frame each idle connection keeps while it waits for a message.
    @inline(never)
    func handle(
        _ message: WebSocketMessage,
        in clientID: String,
        memberID: UUID,
        from client: WebSocketHubClient,
        peer: WebSocketPeer,
        logger: Logger
    ) async {
        guard case .text(let text) = message, let command = QRHubCommand(frame: text) else {
            await client.send(
                QRHubMessage.json(QRHubMessage.Failure(detail: "Messages must be JSON objects with an op"))
            )
            return
        }
        switch command {
        case .heartbeat:
            await hubs.heartbeat(clientID: clientID, memberID: memberID)
            await client.send(QRHubMessage.op("heartbeat_ack"))
        case .pendingTicket(let ticket):
            await hubs.heartbeat(clientID: clientID, memberID: memberID)
            var logger = logger
            logger[metadataKey: "request_id"] = "\(peer.requestID)"
            await accept(ticket: ticket, in: clientID, from: client, logger: logger)
        case .unknown(let op):
            await client.send(QRHubMessage.json(QRHubMessage.Failure(detail: "Unknown op '\(op)'")))
        }
    }

    /// Checks a phone's ticket; on success grants the browser a one-time `auth_token`, tells every client
    /// of the hub and closes them all with 1000. On failure only the sender hears why; the hub stays open.
    @inline(never)
    func accept(ticket token: String?, in clientID: String, from client: WebSocketHubClient, logger: Logger) async {
        do {
            guard let token else { throw QRError.invalidTicket }
            let ticket = try sealer.open(token)
            if let bound = ticket.clientID, bound != clientID { throw QRError.ticketForAnotherClient }
            // The hub may have expired since this client's last message; its grant could then not be bound.
            guard let opener = await hubs.opener(of: clientID) else { throw QRError.hubNotOpen }
            let isFirstUse = try await grants.spendTicket(
                id: ticket.ticketID,
                expiresAt: Date(timeIntervalSince1970: ticket.expiresAt),
                logger: logger
            )
            guard isFirstUse else { throw QRError.ticketReplayed }
            let authToken = Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
            // The grant answers only the opener's code_verifier (when it bound the hub), so the auth_token that
            // every client of the hub is sent below is worth nothing to any client but the opener.
            try await grants.storeGrant(
                tokenHash: Array(SHA256.hash(data: Data(authToken.utf8))),
                userID: ticket.userID,
                clientID: clientID,
                codeChallenge: opener.codeChallenge,
                expiresAt: Date().addingTimeInterval(grantLifetime),
                logger: logger
            )
            let known = try? await directory.summaries(of: [ticket.userID], requestID: "qr-hub", logger: logger)
            let user = known?[ticket.userID] ?? UserSummary(id: ticket.userID, username: "", avatarURL: nil)
            let granted = QRHubMessage.json(QRHubMessage.AccessGranted(authToken: authToken, user: user))
            for member in await hubs.close(clientID) {
                await member.send(granted)
                await member.close()
            }
        } catch let error as QRError {
            await client.send(QRHubMessage.json(QRHubMessage.Failure(detail: error.message)))
        } catch {
            logger.error("qr_hub.grant_failed", metadata: ["error": "\(String(reflecting: error))"])
            await client.send(
                QRHubMessage.json(QRHubMessage.Failure(detail: "Login could not be completed, try again"))
            )
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// Answer of `GET /auth/encrypt_user_data/`: the seed's `token`, also as `encrypted_user_payload`.
struct TicketOutput: Encodable {
    var token: String
    var expiresIn: Int

    enum CodingKeys: String, CodingKey {
        case token
        case encryptedUserPayload = "encrypted_user_payload"
        case expiresIn = "expires_in"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(token, forKey: .token)
        try container.encode(token, forKey: .encryptedUserPayload)
        try container.encode(expiresIn, forKey: .expiresIn)
    }
}
