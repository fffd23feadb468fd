import Hummingbird
import HummingbirdWebSocket
import Logging

/// The request context of every service: the request id, the client's address and, once verified,
/// the caller. It supports WebSocket upgrades (the QR hub).
public struct MessengerRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The peer's IP address as this server sees it (the gateway, for internal services).
    public let peerAddress: String?
    /// The caller the gateway vouched for; `nil` on public routes.
    public var caller: Caller?
    /// The `X-Request-Id` of this request, passed on to every internal call.
    public var requestID: String = ""
    /// The language of `detail` messages (from `Accept-Language`).
    public var language: Language = .english
    /// The address of the client the request is for (see ``RequestLogMiddleware/AddressSource``).
    public var clientAddress = "unknown"

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The context of a request handed over in-process by ``LocalService`` (no connection, so no
    /// peer: the client's address travels in the internal header, as over HTTP).
    init(inProcessWith logger: Logger) {
        coreContext = .init(source: InProcessSource(logger: logger))
        webSocket = .init()
        peerAddress = nil
    }
}

/// What an in-process request's context is made from: only a logger.
struct InProcessSource: RequestContextSource {
    var logger: Logger
}

/// The context of routes that need a caller. Creating it fails with 401 when there is none, so
/// handlers see a non-optional ``caller``.
public struct AuthenticatedRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified caller.
    public let caller: Caller
    /// The `X-Request-Id` of this request.
    public let requestID: String
    /// The language of `detail` messages.
    public let language: Language

    public init(context: MessengerRequestContext) throws {
        guard let caller = context.caller else { throw APIError.unauthorized }
        coreContext = context.coreContext
        self.caller = caller
        requestID = context.requestID
        language = context.language
    }
}
