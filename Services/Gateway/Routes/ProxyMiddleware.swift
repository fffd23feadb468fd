import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Shared

/// Forwards `/auth/...`, `/users/...` and `/private/...` to the owning service.
///
/// On protected paths it first verifies the access token (401 otherwise). Client-supplied trust headers
/// are dropped; the internal token, the verified caller and the request id are added. The response is
/// streamed back as the service sent it. Requests are spread over a service's instances; one whose
/// instance cannot be reached goes to the next instance, as does a failed idempotent request. A service
/// none of whose instances can be reached is a 503 naming it. A request about a QR hub
/// (``ProxyRoute/isRoutedByClientID``) goes first to the instance the hub relay picks for its `client_id`.
public struct ProxyMiddleware: RouterMiddleware {
    public typealias Context = MessengerRequestContext

    let upstreams: [ProxyRoute.Upstream: ServiceInstances]
    let internalToken: String
    let verifier: TokenVerifier
    let httpClient: HTTPClient
    let maxBodySize: Int
    let timeout: TimeAmount
    let inProcess: InProcessServices?

    /// Headers that describe one connection and are not forwarded (RFC 9110 section 7.6.1).
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// - Parameters:
    ///   - upstreams: the instances of each service.
    ///   - inProcess: the services of this process, called without a socket.
    public init(
        upstreams: [ProxyRoute.Upstream: ServiceInstances],
        internalToken: String,
        verifier: TokenVerifier,
        httpClient: HTTPClient,
        maxBodySize: Int,
        timeout: TimeAmount = .seconds(30),
        inProcess: InProcessServices? = nil
    ) {
        self.upstreams = upstreams
        self.internalToken = internalToken
        self.verifier = verifier
        self.httpClient = httpClient
        self.maxBodySize = maxBodySize
        self.timeout = timeout
        self.inProcess = inProcess
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let route = ProxyRoute.match(path: request.uri.path) else {
            return try await next(request, context)
        }
        guard let instances = upstreams[route.upstream] else {
            throw APIError(.notFound, detail: "Not found")
        }
        var caller: Caller?
        if route.requiresCaller {
            caller = try await verifier.caller(authorization: request.headers[.authorization], logger: context.logger)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodySize)
        } catch {
            throw APIError(.contentTooLarge, detail: "Request body is too large", russian: "Слишком большой запрос")
        }
        var headers = HTTPFields()
        for field in request.headers where !Self.hopByHop.contains(field.name.canonicalName) {
            if InternalHeaders.trusted.contains(field.name) || field.name == InternalHeaders.requestID { continue }
            headers.append(field)
        }
        headers[InternalHeaders.token] = internalToken
        headers[InternalHeaders.requestID] = context.requestID
        headers[InternalHeaders.clientAddress] = context.clientAddress
        if let caller {
            headers[InternalHeaders.userID] = String(caller.userID)
            headers[InternalHeaders.sessionID] = caller.sessionID
        }
        let hasBody =
            body.readableBytes > 0 || request.method == .post || request.method == .put || request.method == .patch
        let forwarded = Forwarded(
            method: request.method,
            target: request.uri.description,
            headers: headers,
            body: hasBody ? body : nil
        )
        let order =
            route.isRoutedByClientID ? instances.ranked(for: request.uri.queryParameters.get("client_id") ?? "") : nil
        return try await send(forwarded, to: instances, in: order, route: route, logger: context.logger)
    }

    /// What is sent on: the client's request with the trust headers replaced.
    struct Forwarded: Sendable {
        var method: HTTPRequest.Method
        /// Path and query.
        var target: String
        var headers: HTTPFields
        var body: ByteBuffer?
    }

    /// The response's headers without those that describe one connection or that the gateway sets itself.
    static func returnable(_ fields: HTTPFields) -> HTTPFields {
        var headers = HTTPFields()
        for field in fields
        where !hopByHop.contains(field.name.canonicalName) && field.name != InternalHeaders.requestID {
            headers.append(field)
        }
        if let length = fields[.contentLength] { headers[.contentLength] = length }
        return headers
    }
}

extension ProxyMiddleware {
    /// Sends `request` to the first instance that takes it (see the type's description), in this process
    /// when the instance is one of ``inProcess``; `order`, when given, is the order to try the instances in.
    func send(
        _ request: Forwarded,
        to instances: ServiceInstances,
        in order: [String]? = nil,
        route: ProxyRoute,
        logger: Logger
    ) async throws -> Response {
        let response = await instances.firstSuccess(
            in: order,
            isIdempotent: UpstreamFailure.isIdempotent(HTTPMethod(rawValue: request.method.rawValue)),
            onFailure: { base, error in
                logger.warning(
                    "proxy.upstream_failed",
                    metadata: [
                        "upstream": .string(route.upstream.rawValue), "instance": .string(base),
                        "error": "\(String(reflecting: error))",
                    ]
                )
            },
            attempt: { base in
                if let response = try await inProcess?.respond(
                    request.method,
                    request.target,
                    headers: request.headers,
                    body: request.body,
                    at: base
                ) {
                    return Response(
                        status: response.status,
                        headers: Self.returnable(response.headers),
                        body: response.body
                    )
                }
                return try await sendOverHTTP(request, to: base, logger: logger)
            }
        )
        if let response { return response }
        throw APIError.unavailable(route.upstream.displayName)
    }

    func sendOverHTTP(_ request: Forwarded, to base: String, logger: Logger) async throws -> Response {
        var upstreamRequest = HTTPClientRequest(url: base + request.target)
        upstreamRequest.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers {
            upstreamRequest.headers.add(name: field.name.rawName, value: field.value)
        }
        if let body = request.body { upstreamRequest.body = .bytes(body) }
        let upstreamResponse = try await httpClient.execute(upstreamRequest, timeout: timeout, logger: logger)
        var fields = HTTPFields()
        for header in upstreamResponse.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return Response(
            status: HTTPResponse.Status(code: Int(upstreamResponse.status.code)),
            headers: Self.returnable(fields),
            body: ResponseBody(asyncSequence: upstreamResponse.body)
        )
    }
}

extension ProxyRoute.Upstream {
    /// The service's name in messages.
    var displayName: String {
        switch self {
        case .auth: "Auth"
        case .users: "Users"
        case .chat: "PrivateChat"
        }
    }
}
