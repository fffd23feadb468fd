import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Calls another service's internal API: JSON in and out, the internal token and request id attached,
/// the caller forwarded when there is one, and a timeout.
///
/// With several instances (``ServiceInstances``), calls are spread over them; a call whose instance cannot
/// be reached moves to the next one, and so does a failed idempotent call. A service none of whose
/// instances answers in time is reported as ``APIError`` 503 naming it, so an outage of one service is a
/// clear 503 to the client, never a hang or a 500.
public struct ServiceClient: Sendable {
    /// The name used in 503 messages ("Users").
    public let name: String
    let instances: ServiceInstances
    let internalToken: String
    let httpClient: HTTPClient
    let timeout: TimeAmount
    let inProcess: InProcessServices?

    /// - Parameters:
    ///   - baseURL: the service's base URL, or several separated by commas.
    ///   - inProcess: the services of this process, called without a socket.
    public init(
        name: String,
        baseURL: String,
        internalToken: String,
        httpClient: HTTPClient,
        timeout: TimeAmount = .seconds(5),
        inProcess: InProcessServices? = nil
    ) {
        self.init(
            name: name,
            instances: ServiceInstances(baseURL),
            internalToken: internalToken,
            httpClient: httpClient,
            timeout: timeout,
            inProcess: inProcess
        )
    }

    public init(
        name: String,
        instances: ServiceInstances,
        internalToken: String,
        httpClient: HTTPClient,
        timeout: TimeAmount = .seconds(5),
        inProcess: InProcessServices? = nil
    ) {
        self.name = name
        self.instances = instances
        self.internalToken = internalToken
        self.httpClient = httpClient
        self.timeout = timeout
        self.inProcess = inProcess
    }

    /// The answer of an internal call.
    public struct Reply: Sendable {
        /// The HTTP status code.
        public var status: Int
        /// The body.
        public var body: Data

        /// Whether the status is 2xx.
        public var isSuccess: Bool { (200..<300).contains(status) }

        /// Decodes the body as JSON.
        /// - Throws: ``APIError`` 503 when the body is not what the service promises.
        public func decode<Value: Decodable>(_ type: Value.Type, from service: String) throws -> Value {
            do {
                return try JSONDecoder().decode(type, from: body)
            } catch {
                throw APIError.unavailable(service)
            }
        }

        /// The `detail` of an error body, if any.
        public var detail: String? { try? JSONDecoder().decode(ErrorBody.self, from: body).detail }
    }

    /// Sends `body` as JSON with `method` to `path` and returns the raw reply.
    /// - Parameters:
    ///   - caller: forwarded as `X-User-Id`/`X-Session-Id` when given.
    ///   - requestID: forwarded as `X-Request-Id`.
    ///   - isIdempotent: whether a failed call may be repeated on another instance; by default, whether
    ///     `method` is idempotent (a read sent as POST can say so).
    /// - Throws: ``APIError`` 503 when the service cannot be reached or times out.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        body: (some Encodable & Sendable)?,
        caller: Caller? = nil,
        requestID: String,
        isIdempotent: Bool? = nil,
        logger: Logger
    ) async throws -> Reply {
        var headers = HTTPFields()
        headers[InternalHeaders.token] = internalToken
        headers[InternalHeaders.requestID] = requestID
        if let caller {
            headers[InternalHeaders.userID] = String(caller.userID)
            headers[InternalHeaders.sessionID] = caller.sessionID
        }
        var bytes: ByteBuffer?
        if let body {
            headers[.contentType] = "application/json"
            bytes = ByteBuffer(bytes: try JSONEncoder().encode(body))
        }
        let reply = await instances.firstSuccess(
            isIdempotent: isIdempotent ?? UpstreamFailure.isIdempotent(method),
            onFailure: { base, error in
                logger.warning(
                    "internal_call.failed",
                    metadata: [
                        "service": .string(name), "instance": .string(base), "path": .string(path),
                        "error": "\(String(reflecting: error))",
                    ]
                )
            },
            attempt: { base in
                if let inProcessMethod = HTTPRequest.Method(method.rawValue),
                    let response = try await inProcess?.respond(
                        inProcessMethod,
                        path,
                        headers: headers,
                        body: bytes,
                        at: base
                    )
                {
                    let status = response.status.code
                    let collected = try await response.collectBody(upTo: Self.maxReplySize, service: name)
                    return Reply(status: status, body: Data(collected.readableBytesView))
                }
                var request = HTTPClientRequest(url: base + path)
                request.method = method
                for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
                if let bytes { request.body = .bytes(bytes) }
                let response = try await httpClient.execute(request, timeout: timeout, logger: logger)
                let collected = try await response.body.collect(upTo: Self.maxReplySize)
                return Reply(status: Int(response.status.code), body: Data(collected.readableBytesView))
            }
        )
        if let reply { return reply }
        throw APIError.unavailable(name)
    }

    /// Replies larger than this are refused (16 MiB).
    static let maxReplySize = 16 << 20

    /// Sends a request without a body.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        caller: Caller? = nil,
        requestID: String,
        logger: Logger
    )
        async throws -> Reply
    {
        try await send(method, path, body: String?.none, caller: caller, requestID: requestID, logger: logger)
    }
}
