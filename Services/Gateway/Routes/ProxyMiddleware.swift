import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Shared

/// Forwards `/auth/...`, `/users/...` and `/private/...` to the owning service through the
/// ``ServiceTransport`` (in this process or over HTTP, with failover across instances).
///
/// On protected paths it first verifies the access token (401 otherwise) and records the caller as active
/// (``ActiveUsers``, for presence). Client-supplied trust headers
/// are dropped; the verified caller, the client's address and the request id are added (the transport
/// adds the internal token). The response is streamed back as the service sent it. A request about a QR
/// hub (``ProxyRoute/isRoutedByClientID``) goes first to the instance the hub relay picks for its
/// `client_id`.
public struct ProxyMiddleware: RouterMiddleware {
    public typealias Context = MessengerRequestContext

    let transport: ServiceTransport
    let verifier: TokenVerifier
    let maxBodySize: Int
    let timeout: TimeAmount
    /// Where verified callers are recorded for the next presence report.
    let activity: ActiveUsers?

    /// Headers that describe one connection and are not forwarded (RFC 9110 section 7.6.1).
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    public init(
        transport: ServiceTransport,
        verifier: TokenVerifier,
        maxBodySize: Int,
        timeout: TimeAmount = .seconds(30),
        activity: ActiveUsers? = nil
    ) {
        self.transport = transport
        self.verifier = verifier
        self.maxBodySize = maxBodySize
        self.timeout = timeout
        self.activity = activity
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let route = ProxyRoute.match(path: request.uri.path) else {
            return try await next(request, context)
        }
        var caller: Caller?
        if route.requiresCaller {
            let verified = try await verifier.caller(
                authorization: request.headers[.authorization],
                logger: context.logger
            )
            activity?.record(verified.userID)
            caller = verified
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
        headers[InternalHeaders.requestID] = context.requestID
        headers[InternalHeaders.clientAddress] = context.clientAddress
        if let caller {
            headers[InternalHeaders.userID] = String(caller.userID)
            headers[InternalHeaders.sessionID] = caller.sessionID
        }
        let hasBody =
            body.readableBytes > 0 || request.method == .post || request.method == .put || request.method == .patch
        let forwarded = ServiceRequest(
            request.method,
            request.uri.description,
            headers: headers,
            body: hasBody ? body : nil,
            timeout: timeout
        )
        let order =
            route.isRoutedByClientID
            ? transport.instances(of: route.upstream).ranked(for: request.uri.queryParameters.get("client_id") ?? "")
            : nil
        let response = try await transport.send(forwarded, to: route.upstream, in: order, logger: context.logger)
        return Response(status: response.status, headers: Self.returnable(response.headers), body: response.body)
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
