import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// The services running in this process, by the base URL the others call them at.
///
/// A call whose instance is one of them does not go through a socket: the request is handed to that
/// service's router in this process, through all of its middleware (request log, internal-token check,
/// error mapping), and the response comes back as the router made it. `messenger serve` with every
/// service in one process (what `make run` starts) so spends no loopback HTTP on gateway-to-service and
/// service-to-service calls; services in separate processes, or an instance list naming other
/// processes, are called over HTTP as before. An in-process call has no timeout of its own: the
/// handler's own calls (database, other services) are bounded.
///
/// A service may also offer WebSocket routes (``WebSocketHandler``): a client connection the gateway
/// accepted is then handed to the route itself, so the one socket to the client is the only one (no
/// relay connection and no second server-side socket per client).
public final class InProcessServices: Sendable {
    /// A WebSocket route of a service, given a client's connection and who opened it; it owns the
    /// connection until it returns.
    public typealias WebSocketHandler =
        @Sendable (WebSocketInboundStream, WebSocketOutboundWriter, WebSocketPeer)
        async -> Void

    struct Entry: Sendable {
        var responder: @Sendable (Request, MessengerRequestContext) async throws -> Response
        var webSockets: [String: WebSocketHandler]
        var logger: Logger
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// Makes the service answering with `responder` reachable at `baseURL` (e.g. `http://127.0.0.1:8081`,
    /// as ``MessengerConfig`` spells its default URLs) without a socket, with its WebSocket routes by path.
    public func register(
        _ responder: some HTTPResponder<MessengerRequestContext>,
        webSockets: [String: WebSocketHandler] = [:],
        at baseURL: String,
        logger: Logger
    ) {
        entries.withLock {
            $0[baseURL] = Entry(responder: responder.respond, webSockets: webSockets, logger: logger)
        }
    }

    /// The response of the service at `baseURL` to a request made of these parts (the target is the
    /// path and query), or `nil` when that service does not run in this process.
    public func respond(
        _ method: HTTPRequest.Method,
        _ target: String,
        headers: HTTPFields,
        body: ByteBuffer?,
        at baseURL: String
    ) async throws -> Response? {
        guard let entry = entries.withLock({ $0[baseURL] }) else { return nil }
        let head = HTTPRequest(method: method, scheme: nil, authority: nil, path: target, headerFields: headers)
        let request = Request(head: head, body: RequestBody(buffer: body ?? ByteBuffer()))
        return try await entry.responder(request, MessengerRequestContext(inProcessWith: entry.logger))
    }

    /// The WebSocket route at `path` of the service at `baseURL`, or `nil` when that service does not
    /// run in this process or has no such route.
    public func webSocketHandler(for path: String, at baseURL: String) -> WebSocketHandler? {
        entries.withLock { $0[baseURL]?.webSockets[path] }
    }
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

extension Response {
    /// The body, read into one buffer of at most `limit` bytes.
    /// - Throws: ``APIError`` 503 naming `service` when the body is larger.
    public consuming func collectBody(upTo limit: Int, service: String) async throws -> ByteBuffer {
        let sink = BodySink(limit: limit)
        try await body.write(CollectingWriter(sink: sink))
        guard !sink.overflowed else { throw APIError.unavailable(service) }
        return sink.buffer
    }
}

/// Where ``CollectingWriter`` puts the bytes it is given.
final class BodySink {
    let limit: Int
    var buffer = ByteBuffer()
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }
}

/// A response body writer that keeps what is written, up to a limit.
struct CollectingWriter: ResponseBodyWriter {
    let sink: BodySink

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard sink.buffer.readableBytes + buffer.readableBytes <= sink.limit else {
            sink.overflowed = true
            return
        }
        var buffer = buffer
        sink.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
