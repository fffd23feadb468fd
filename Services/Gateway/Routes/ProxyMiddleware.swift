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
/// none of whose instances can be reached is a 503 naming it.
public struct ProxyMiddleware: RouterMiddleware {
    public typealias Context = MessengerRequestContext

    let upstreams: [ProxyRoute.Upstream: ServiceInstances]
    let internalToken: String
    let verifier: TokenVerifier
    let httpClient: HTTPClient
    let maxBodySize: Int
    let timeout: TimeAmount

    /// Headers that describe one connection and are not forwarded (RFC 9110 section 7.6.1).
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// - Parameter upstreams: the instances of each service.
    public init(
        upstreams: [ProxyRoute.Upstream: ServiceInstances],
        internalToken: String,
        verifier: TokenVerifier,
        httpClient: HTTPClient,
        maxBodySize: Int,
        timeout: TimeAmount = .seconds(30)
    ) {
        self.upstreams = upstreams
        self.internalToken = internalToken
        self.verifier = verifier
        self.httpClient = httpClient
        self.maxBodySize = maxBodySize
        self.timeout = timeout
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
        var upstreamRequest = HTTPClientRequest(url: request.uri.description)
        upstreamRequest.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.hopByHop.contains(field.name.canonicalName) {
            if InternalHeaders.trusted.contains(field.name) || field.name == InternalHeaders.requestID { continue }
            upstreamRequest.headers.add(name: field.name.rawName, value: field.value)
        }
        upstreamRequest.headers.add(name: InternalHeaders.token.rawName, value: internalToken)
        upstreamRequest.headers.add(name: InternalHeaders.requestID.rawName, value: context.requestID)
        upstreamRequest.headers.add(name: InternalHeaders.clientAddress.rawName, value: context.clientAddress)
        if let caller {
            upstreamRequest.headers.add(name: InternalHeaders.userID.rawName, value: String(caller.userID))
            upstreamRequest.headers.add(name: InternalHeaders.sessionID.rawName, value: caller.sessionID)
        }
        if body.readableBytes > 0 || request.method == .post || request.method == .put || request.method == .patch {
            upstreamRequest.body = .bytes(body)
        }
        let upstreamResponse = try await send(upstreamRequest, to: instances, route: route, logger: context.logger)
        var headers = HTTPFields()
        for header in upstreamResponse.headers where !Self.hopByHop.contains(header.name.lowercased()) {
            guard let name = HTTPField.Name(header.name), name != InternalHeaders.requestID else { continue }
            headers.append(HTTPField(name: name, value: header.value))
        }
        if let length = upstreamResponse.headers.first(name: "content-length") {
            headers[.contentLength] = length
        }
        return Response(
            status: HTTPResponse.Status(code: Int(upstreamResponse.status.code)),
            headers: headers,
            body: ResponseBody(asyncSequence: upstreamResponse.body)
        )
    }
}

extension ProxyMiddleware {
    /// Sends `request` to the first instance that takes it (see the type's description).
    func send(
        _ request: HTTPClientRequest,
        to instances: ServiceInstances,
        route: ProxyRoute,
        logger: Logger
    ) async throws -> HTTPClientResponse {
        let target = request.url
        let response = await instances.firstSuccess(
            isIdempotent: UpstreamFailure.isIdempotent(request.method),
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
                var request = request
                request.url = base + target
                return try await httpClient.execute(request, timeout: timeout, logger: logger)
            }
        )
        if let response { return response }
        throw APIError.unavailable(route.upstream.displayName)
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
