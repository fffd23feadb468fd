import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// A service of this process, as the others call it: its router, reached without a socket.
///
/// A call to an instance that is a service of this process (``ServiceInstance/local``) does not go
/// through a socket: the request is handed to that service's router, through all of its middleware
/// (request log, internal-token check, error mapping), and the response comes back as the router made
/// it. `messenger serve` with every service in one process (what `make run` starts) so spends no
/// loopback HTTP on gateway-to-service and service-to-service calls. An in-process call has no timeout of
/// its own: the handler's own calls (database, other services) are bounded.
///
/// The service is known at start-up, when ``ServiceTransport`` is built, but answers only once its server
/// listens (``serve(_:webSockets:logger:)``, after its migrations): until then a call fails as a refused
/// connection would (``NotListening``), and the caller moves on to another instance.
///
/// A service may also offer WebSocket routes (``WebSocketHandler``): a client connection the gateway
/// accepted is then handed to the route itself, so the one socket to the client is the only one.
public final class LocalService: Sendable, Hashable {
    /// A WebSocket route of a service, given a client's connection and who opened it; it owns the
    /// connection until it returns.
    public typealias WebSocketHandler =
        @Sendable (WebSocketInboundStream, WebSocketOutboundWriter, WebSocketPeer)
        async -> Void

    /// The service.
    public let name: ServiceName
    /// Where its server listens: URLs reaching this address are this service (``isReached(by:)``).
    public let host: String
    public let port: Int

    struct Entry: Sendable {
        var responder: @Sendable (Request, MessengerRequestContext) async throws -> Response
        var webSockets: [String: WebSocketHandler]
        var logger: Logger
    }

    private let entry = Mutex<Entry?>(nil)

    /// The error of a call made before the service listens: treated as a refused connection.
    public struct NotListening: Error, CustomStringConvertible {
        public var service: ServiceName

        public init(service: ServiceName) {
            self.service = service
        }

        public var description: String { "\(service.displayName) does not listen in this process yet" }
    }

    public init(_ name: ServiceName, host: String, port: Int) {
        self.name = name
        self.host = host
        self.port = port
    }

    /// Whether a call to the base URL `url` reaches this service (see ``ServiceInstance/url(_:reaches:port:)``).
    public func isReached(by url: String) -> Bool {
        ServiceInstance.url(url, reaches: host, port: port)
    }

    /// Starts answering with `responder` and the `webSockets` routes by path. Called once the service's
    /// server listens (its schema is migrated by then).
    public func serve(
        _ responder: some HTTPResponder<MessengerRequestContext>,
        webSockets: [String: WebSocketHandler] = [:],
        logger: Logger
    ) {
        entry.withLock { $0 = Entry(responder: responder.respond, webSockets: webSockets, logger: logger) }
    }

    /// The service's response to a request made of these parts (the target is the path and query).
    /// - Throws: ``NotListening`` before ``serve(_:webSockets:logger:)``; otherwise what the router throws.
    public func respond(
        _ method: HTTPRequest.Method,
        _ target: String,
        headers: HTTPFields,
        body: ByteBuffer?
    ) async throws -> Response {
        guard let entry = entry.withLock({ $0 }) else { throw NotListening(service: name) }
        let head = HTTPRequest(method: method, scheme: nil, authority: nil, path: target, headerFields: headers)
        let request = Request(head: head, body: RequestBody(buffer: body ?? ByteBuffer()))
        return try await entry.responder(request, MessengerRequestContext(inProcessWith: entry.logger))
    }

    /// The WebSocket route at `path`, or `nil` when the service does not listen yet or has no such route.
    public func webSocketHandler(for path: String) -> WebSocketHandler? {
        entry.withLock { $0?.webSockets[path] }
    }

    public static func == (lhs: LocalService, rhs: LocalService) -> Bool { lhs === rhs }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Who opened a WebSocket connection that the gateway hands to a service of its process: what the
/// service would otherwise read from the relayed request and its internal headers.
public struct WebSocketPeer: Sendable {
    /// The query of the request that opened the connection, without `?`.
    public var query: String
    /// The request id of the upgrade request.
    public var requestID: String
    /// The client's address (see ``RequestLogMiddleware``).
    public var clientAddress: String
    /// The client's `User-Agent` header, empty when it sent none.
    public var userAgent: String

    public init(query: String, requestID: String, clientAddress: String, userAgent: String = "") {
        self.query = query
        self.requestID = requestID
        self.clientAddress = clientAddress
        self.userAgent = userAgent
    }
}
