import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWSClient
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import Shared

/// Relays the QR hub WebSocket (`/auth_events/qr_auth/?client_id=`) to Auth, which owns the hubs.
///
/// Frames pass through unchanged in both directions; Auth's close code (1000 after a grant, a full
/// hub, or a malformed `client_id`) reaches the client. The upstream connection carries the internal
/// token, the request id, the client's address (for Auth's per-address hub limit) and its `User-Agent`
/// (which the phone is shown), and opens with ``readyFrame`` (Auth waits for it before it speaks, see
/// `X-Hub-Relay`).
///
/// A hub lives in the memory of one Auth instance, so both clients of a hub must reach the same one:
/// the relay picks the instance by rendezvous hashing of the `client_id` (``ServiceInstances/ranked(for:)``),
/// which every gateway computes alike, and moves to the next ranked instance only when one cannot be reached.
///
/// When the chosen instance is the Auth of this process, there is nothing to relay: the client's own
/// connection is handed to its hub route (``LocalService/webSocketHandler(for:)``),
/// so a browser costs one socket instead of three.
public struct HubRelay: Sendable {
    let transport: ServiceTransport

    /// - Parameter transport: how Auth's instances are reached (`http://...`; `https://` becomes `wss://`).
    public init(transport: ServiceTransport) {
        self.transport = transport
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        router.ws(RouterPath(WebSocketPaths.qrHub)) { inbound, outbound, context in
            // The common case, every service in one process, takes the shortest path: the async frames
            // on it stay allocated for as long as the connection is open.
            switch route(for: context) {
            case .inProcess(let hub, let peer):
                await hub(inbound, outbound, peer)
            case .relayed(let candidates):
                await relay(inbound: inbound, outbound: outbound, context: context, candidates: candidates)
            }
        }
    }

    /// Where a hub connection goes.
    enum Route {
        /// To the hub route of the Auth in this process, Auth's first choice for the `client_id`.
        case inProcess(LocalService.WebSocketHandler, WebSocketPeer)
        /// Over a WebSocket connection to Auth's instances, best first.
        case relayed([ServiceInstance])
    }

    /// The route of the connection `context` opened.
    @inline(never)
    func route(for context: WebSocketRouterContext<MessengerRequestContext>) -> Route {
        let candidates = transport.instances(of: .auth)
            .ranked(for: context.request.uri.queryParameters.get("client_id") ?? "")
        if let hub = candidates.first?.local?.webSocketHandler(for: WebSocketPaths.qrHub) {
            return .inProcess(hub, Self.peer(of: context))
        }
        return .relayed(candidates)
    }

    /// The hub's view of the client that opened `context`'s connection.
    static func peer(of context: WebSocketRouterContext<MessengerRequestContext>) -> WebSocketPeer {
        WebSocketPeer(
            query: context.request.uri.query ?? "",
            requestID: context.requestContext.requestID,
            clientAddress: context.requestContext.clientAddress,
            userAgent: context.request.headers[.userAgent] ?? ""
        )
    }

    /// Relays the connection to the first of `candidates` (Auth's instances, best first) that can be
    /// reached, or hands it to the one in this process when it comes first; the failover is Auth's
    /// ``ServiceInstances/firstSuccess(in:isIdempotent:onFailure:attempt:)``, as for every other call.
    @inline(never)
    func relay(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<MessengerRequestContext>,
        candidates: [ServiceInstance]
    ) async {
        let relayed: Void? = await transport.instances(of: .auth).firstSuccess(
            in: candidates,
            isIdempotent: false,
            onFailure: { instance, error in
                context.logger.warning(
                    "hub_relay.failed",
                    metadata: ["instance": .string(instance.url), "error": "\(String(reflecting: error))"]
                )
            },
            attempt: { instance in
                if let local = instance.local {
                    guard let hub = local.webSocketHandler(for: WebSocketPaths.qrHub) else {
                        throw LocalService.NotListening(service: .auth)
                    }
                    await hub(inbound, outbound, Self.peer(of: context))
                    return
                }
                try await relay(
                    to: instance.webSocketURL + WebSocketPaths.qrHub
                        + (context.request.uri.query.map { "?" + $0 } ?? ""),
                    inbound: inbound,
                    outbound: outbound,
                    context: context.requestContext,
                    userAgent: context.request.headers[.userAgent]
                )
            }
        )
        guard relayed == nil else { return }
        try? await outbound.write(.text(#"{"op":"error","detail":"Auth is unavailable, try again later"}"#))
        try? await outbound.close(.unexpectedServerError, reason: nil)
    }

    /// Relays one hub connection to the Auth instance at `url`, until either side closes.
    ///
    /// When Auth closes first (after a grant, say), its close code is passed on and the client's answer
    /// to it is waited for (at most ``closeTimeout``) before the connection is let go. Cancelling the
    /// client-to-Auth loop instead ended the client's inbound stream, so the server could not read the
    /// client's closing frame and dropped the connection under it: the client saw a reset instead of a
    /// clean close.
    ///
    /// Never inlined: its state (the client connection and two frame loops) would otherwise be part of
    /// the async frame of every hub connection, also those handed to Auth in-process, for as long as
    /// they stay open.
    @inline(never)
    func relay(
        to url: String,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        context: MessengerRequestContext,
        userAgent: String?
    ) async throws {
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders[InternalHeaders.token] = transport.internalToken
        configuration.additionalHeaders[InternalHeaders.requestID] = context.requestID
        configuration.additionalHeaders[InternalHeaders.clientAddress] = context.clientAddress
        configuration.additionalHeaders[InternalHeaders.hubRelay] = "1"
        // Auth shows the phone which device opened a hub (``WebSocketPeer/userAgent`` on the in-process path).
        configuration.additionalHeaders[.userAgent] = userAgent
        // The client-to-Auth loop gets Auth's writer once the connection is up; it never touches the
        // client's messages when the connection fails, so the next instance can be tried with them.
        let (upstreams, upstreamReady) = AsyncStream.makeStream(of: WebSocketOutboundWriter.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var ready = upstreams.makeAsyncIterator()
                guard let upstream = await ready.next() else { return }
                var failure: (any Error)?
                do {
                    for try await message in inbound.messages(maxSize: 8192) {
                        // Auth may have closed already; the client's messages are still read to its close.
                        try? await upstream.write(Self.frame(message))
                    }
                } catch {
                    failure = error
                }
                try? await upstream.close(.normalClosure, reason: nil)
                if let failure { throw failure }
            }
            let closeFrame: WebSocketCloseFrame?
            do {
                closeFrame = try await WebSocketClient.connect(
                    url: url,
                    configuration: configuration,
                    logger: context.logger
                ) { upstreamInbound, upstreamOutbound, _ in
                    // Frames that arrive in the same read as the 101 response can be lost by the client
                    // upgrader; Auth therefore sends nothing until this first frame shows the upgrade is done.
                    try await upstreamOutbound.write(.text(Self.readyFrame))
                    upstreamReady.yield(upstreamOutbound)
                    upstreamReady.finish()
                    for try await message in upstreamInbound.messages(maxSize: 1 << 16) {
                        try await outbound.write(Self.frame(message))
                    }
                }
            } catch {
                upstreamReady.finish()
                // Auth went away mid-conversation: end the client's side too, so the loop above ends.
                if !UpstreamFailure.isConnectFailure(error) {
                    try? await outbound.close(.unexpectedServerError, reason: nil)
                    try await Self.waitForClose(in: &group)
                }
                throw error
            }
            try? await outbound.close(closeFrame?.closeCode ?? .normalClosure, reason: closeFrame?.reason)
            try await Self.waitForClose(in: &group)
        }
    }

    /// How long the client may take to answer a closing frame before its connection is dropped.
    static let closeTimeout: Duration = .seconds(10)

    /// Waits until the client-to-Auth loop of `group` has ended (the client answered the closing frame)
    /// or ``closeTimeout`` has passed, then stops what is left.
    static func waitForClose(in group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        group.addTask { try? await Task.sleep(for: closeTimeout) }
        _ = try await group.next()
        group.cancelAll()
    }

    /// The relay's first frame to Auth.
    public static let readyFrame = #"{"op":"relay_ready"}"#

    static func frame(_ message: WebSocketMessage) -> WebSocketOutboundWriter.OutboundFrame {
        switch message {
        case .text(let text): .text(text)
        case .binary(let buffer): .binary(buffer)
        }
    }
}
