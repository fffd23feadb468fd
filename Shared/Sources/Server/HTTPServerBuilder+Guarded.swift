import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket

extension HTTPServerBuilder {
    /// HTTP/1 with the messenger's connection guards and ``HTTPTimeouts`` (see ``GuardedServerChannel``).
    public static func guardedHTTP1(timeouts: HTTPTimeouts) -> HTTPServerBuilder {
        .init { responder in
            GuardedServerChannel(
                inner: HTTP1Channel(responder: responder, configuration: .guarded(timeouts)),
                timeouts: timeouts
            )
        }
    }

    /// HTTP/1 with WebSocket upgrades answered by `webSocketRouter`, with the same guards. An upgraded
    /// connection leaves the HTTP deadlines behind; the WebSocket routes bound their own lifetimes.
    public static func guardedHTTP1WebSocketUpgrade(
        webSocketRouter: Router<MessengerRequestContext>,
        timeouts: HTTPTimeouts,
        webSockets: WebSocketServerConfiguration = .messenger
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        return .init { responder in
            GuardedServerChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder,
                    webSocketResponder: webSocketResponder,
                    configuration: .init(http1: .guarded(timeouts), ws: webSockets)
                ),
                timeouts: timeouts
            )
        }
    }
}

extension HTTP1Channel.Configuration {
    /// A body deadline per request (``RequestBodyDeadlineHandler``, a new one per connection) and
    /// Hummingbird's idle timer, which closes a connection with no request, or a request with no
    /// progress, for ``HTTPTimeouts/idle``.
    static func guarded(_ timeouts: HTTPTimeouts) -> HTTP1Channel.Configuration {
        .init(
            additionalChannelHandlers: [RequestBodyDeadlineHandler(deadline: timeouts.body)],
            idleTimeout: timeouts.idle
        )
    }
}
