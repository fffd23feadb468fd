import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Calls another service's internal API (``InternalRoute``) through the ``ServiceTransport``: JSON in and
/// out, the request id attached, the caller forwarded when there is one, and a timeout. An answer that is
/// not what the service promises, or none at all, is ``APIError`` 503 naming the service.
public struct ServiceClient: Sendable {
    /// The service called.
    public let service: ServiceName
    let transport: ServiceTransport
    let timeout: TimeAmount

    public init(_ service: ServiceName, transport: ServiceTransport, timeout: TimeAmount = .seconds(5)) {
        self.service = service
        self.transport = transport
        self.timeout = timeout
    }

    /// The name used in 503 messages ("Users").
    public var name: String { service.displayName }

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

    /// Sends `body` as JSON with `method` to `path` (``InternalRoute/path(id:query:)``) and returns the reply.
    /// - Parameters:
    ///   - caller: forwarded as `X-User-Id`/`X-Session-Id` when given.
    ///   - requestID: forwarded as `X-Request-Id`.
    ///   - extra: further headers (the internal ones a caller may set, such as `X-Gateway-Session`).
    ///   - isIdempotent: whether a failed call may be repeated on another instance; by default, whether
    ///     `method` is idempotent (a read sent as POST can say so).
    /// - Throws: ``APIError`` 503 when the service cannot be reached, times out or answers too much.
    public func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        body: (some Encodable & Sendable)?,
        caller: Caller? = nil,
        requestID: String,
        headers extra: HTTPFields = [:],
        isIdempotent: Bool? = nil,
        logger: Logger
    ) async throws -> Reply {
        var headers = extra
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
        let request = ServiceRequest(
            method,
            path,
            headers: headers,
            body: bytes,
            timeout: timeout,
            isIdempotent: isIdempotent
        )
        let response = try await transport.send(request, to: service, logger: logger)
        let status = response.status.code
        let collected: ByteBuffer
        do {
            collected = try await response.collectBody(upTo: Self.maxReplySize, service: service)
        } catch let error as APIError {
            throw error
        } catch {
            // An HTTP body that broke off or timed out mid-way.
            logger.warning(
                "upstream.body_failed",
                metadata: ["upstream": .string(service.rawValue), "target": .string(path)]
            )
            throw APIError.unavailable(name)
        }
        return Reply(status: status, body: Data(collected.readableBytesView))
    }

    /// Replies larger than this are refused (16 MiB).
    static let maxReplySize = 16 << 20

    /// Sends a request without a body.
    public func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        caller: Caller? = nil,
        requestID: String,
        logger: Logger
    ) async throws -> Reply {
        try await send(method, path, body: String?.none, caller: caller, requestID: requestID, logger: logger)
    }
}
