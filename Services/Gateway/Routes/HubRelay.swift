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
public struct HubRelay: Sendable {
    let authURL: String
    let internalToken: String

    /// - Parameter authURL: Auth's base URL (`http://...`; `https://` becomes `wss://`).
    public init(authURL: String, internalToken: String) {
        var url = authURL.hasSuffix("/") ? String(authURL.dropLast()) : authURL
        if url.hasPrefix("https://") {
            url = "wss://" + url.dropFirst(8)
        } else if url.hasPrefix("http://") {
            url = "ws://" + url.dropFirst(7)
        }
        self.authURL = url
        self.internalToken = internalToken
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
        do {
            let closeFrame = try await WebSocketClient.connect(
                url: authURL + "/auth_events/qr_auth" + query,
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
        } catch {
            context.logger.warning("hub_relay.failed", metadata: ["error": "\(String(reflecting: error))"])
            try? await outbound.write(.text(#"{"op":"error","detail":"Auth is unavailable, try again later"}"#))
            try? await outbound.close(.unexpectedServerError, reason: nil)
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
