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
/// token, the request id and the client's address (for Auth's per-address hub limit), and opens with
/// ``readyFrame`` (Auth waits for it before it speaks, see `X-Hub-Relay`).
///
/// A hub lives in the memory of one Auth instance, so both clients of a hub must reach the same one:
/// the relay picks the instance by rendezvous hashing of the `client_id` (``ServiceInstances/ranked(for:)``),
/// which every gateway computes alike, and moves to the next ranked instance only when one cannot be reached.
///
/// When the chosen instance is the Auth of this process, there is nothing to relay: the client's own
/// connection is handed to its hub route (``InProcessServices/webSocketHandler(for:at:)``),
/// so a browser costs one socket instead of three.
public struct HubRelay: Sendable {
    let auth: ServiceInstances
    let internalToken: String
    let inProcess: InProcessServices?

    /// - Parameters:
    ///   - auth: Auth's instances (`http://...`; `https://` becomes `wss://`).
    ///   - inProcess: the services of this process, joined without a socket.
    public init(auth: ServiceInstances, internalToken: String, inProcess: InProcessServices? = nil) {
        self.auth = auth
        self.internalToken = internalToken
        self.inProcess = inProcess
    }

    /// The WebSocket URL of an Auth base URL.
    static func webSocketURL(_ base: String) -> String {
        if base.hasPrefix("https://") { return "wss://" + base.dropFirst(8) }
        if base.hasPrefix("http://") { return "ws://" + base.dropFirst(7) }
        return base
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
        case inProcess(InProcessServices.WebSocketHandler, WebSocketPeer)
        /// Over a WebSocket connection to Auth's instances, best first.
        case relayed([String])
    }

    /// The route of the connection `context` opened.
    @inline(never)
    func route(for context: WebSocketRouterContext<MessengerRequestContext>) -> Route {
        let candidates = auth.ranked(for: context.request.uri.queryParameters.get("client_id") ?? "")
        if let first = candidates.first, let hub = inProcess?.webSocketHandler(for: WebSocketPaths.qrHub, at: first) {
            return .inProcess(hub, Self.peer(of: context))
        }
        return .relayed(candidates)
    }

    /// The hub's view of the client that opened `context`'s connection.
    static func peer(of context: WebSocketRouterContext<MessengerRequestContext>) -> WebSocketPeer {
        WebSocketPeer(
            query: context.request.uri.query ?? "",
            requestID: context.requestContext.requestID,
            clientAddress: context.requestContext.clientAddress
        )
    }

    /// Relays the connection to the first of `candidates` (Auth's instances, best first) that can be
    /// reached, or hands it to the one in this process when it comes first.
    @inline(never)
    func relay(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<MessengerRequestContext>,
        candidates: [String]
    ) async {
        var candidates = candidates
        while !candidates.isEmpty {
            let base = candidates.removeFirst()
            if let hub = inProcess?.webSocketHandler(for: WebSocketPaths.qrHub, at: base) {
                await hub(inbound, outbound, Self.peer(of: context))
                return
            }
            do {
                try await relay(
                    to: Self.webSocketURL(base) + WebSocketPaths.qrHub
                        + (context.request.uri.query.map { "?" + $0 } ?? ""),
                    inbound: inbound,
                    outbound: outbound,
                    context: context.requestContext
                )
                return
            } catch  where UpstreamFailure.isConnectFailure(error) && !candidates.isEmpty {
                context.logger.warning("hub_relay.instance_down", metadata: ["instance": .string(base)])
            } catch {
                context.logger.warning("hub_relay.failed", metadata: ["error": "\(String(reflecting: error))"])
                break
            }
        }
        try? await outbound.write(.text(#"{"op":"error","detail":"Auth is unavailable, try again later"}"#))
        try? await outbound.close(.unexpectedServerError, reason: nil)
    }

    /// Relays one hub connection to the Auth instance at `url`, until either side closes.
    ///
    /// Never inlined: its state (the client connection and two frame loops) would otherwise be part of
    /// the async frame of every hub connection, also those handed to Auth in-process, for as long as
    /// they stay open.
    @inline(never)
    func relay(
        to url: String,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        context: MessengerRequestContext
    ) async throws {
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders[InternalHeaders.token] = internalToken
        configuration.additionalHeaders[InternalHeaders.requestID] = context.requestID
        configuration.additionalHeaders[InternalHeaders.clientAddress] = context.clientAddress
        configuration.additionalHeaders[InternalHeaders.hubRelay] = "1"
        let closeFrame = try await WebSocketClient.connect(
            url: url,
            configuration: configuration,
            logger: context.logger
        ) { upstreamInbound, upstreamOutbound, _ in
            // Frames that arrive in the same read as the 101 response can be lost by the client
            // upgrader; Auth therefore sends nothing until this first frame shows the upgrade is done.
            try await upstreamOutbound.write(.text(Self.readyFrame))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 8192) {
                        try await upstreamOutbound.write(Self.frame(message))
                    }
                    try await upstreamOutbound.close(.normalClosure, reason: nil)
                }
                for try await message in upstreamInbound.messages(maxSize: 1 << 16) {
                    try await outbound.write(Self.frame(message))
                }
                group.cancelAll()
            }
        }
        try await outbound.close(closeFrame?.closeCode ?? .normalClosure, reason: closeFrame?.reason)
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
