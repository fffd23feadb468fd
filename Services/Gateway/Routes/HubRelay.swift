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
public struct HubRelay: Sendable {
    let auth: ServiceInstances
    let internalToken: String

    /// - Parameter auth: Auth's instances (`http://...`; `https://` becomes `wss://`).
    public init(auth: ServiceInstances, internalToken: String) {
        self.auth = auth
        self.internalToken = internalToken
    }

    /// The WebSocket URL of an Auth base URL.
    static func webSocketURL(_ base: String) -> String {
        if base.hasPrefix("https://") { return "wss://" + base.dropFirst(8) }
        if base.hasPrefix("http://") { return "ws://" + base.dropFirst(7) }
        return base
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        router.ws("auth_events/qr_auth") { inbound, outbound, context in
            await relay(inbound: inbound, outbound: outbound, context: context)
        }
    }

    func relay(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<MessengerRequestContext>
    ) async {
        let query = context.request.uri.query.map { "?" + $0 } ?? ""
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders[InternalHeaders.token] = internalToken
        configuration.additionalHeaders[InternalHeaders.requestID] = context.requestContext.requestID
        configuration.additionalHeaders[InternalHeaders.clientAddress] = context.requestContext.clientAddress
        configuration.additionalHeaders[InternalHeaders.hubRelay] = "1"
        let clientID = context.request.uri.queryParameters.get("client_id") ?? ""
        var candidates = auth.ranked(for: clientID)
        while !candidates.isEmpty {
            let base = candidates.removeFirst()
            do {
                try await relay(
                    to: Self.webSocketURL(base) + "/auth_events/qr_auth" + query,
                    configuration: configuration,
                    inbound: inbound,
                    outbound: outbound,
                    logger: context.logger
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
    func relay(
        to url: String,
        configuration: WebSocketClientConfiguration,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        logger: Logger
    ) async throws {
        do {
            let closeFrame = try await WebSocketClient.connect(
                url: url,
                configuration: configuration,
                logger: logger
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
