import HTTPTypes
import NIOCore

/// A request to another service, as ``ServiceTransport`` sends it: the same value whether it is handed
/// to a service of this process or sent over HTTP.
public struct ServiceRequest: Sendable {
    public var method: HTTPRequest.Method
    /// Path and query.
    public var target: String
    /// The headers; ``ServiceTransport`` adds the internal token.
    public var headers: HTTPFields
    public var body: ByteBuffer?
    /// How long an HTTP call may take (an in-process call is bounded by the handler's own calls).
    public var timeout: TimeAmount
    /// Whether a failed call may be repeated on another instance.
    public var isIdempotent: Bool

    /// - Parameter isIdempotent: by default, whether `method` is (a read sent as POST can say so).
    public init(
        _ method: HTTPRequest.Method,
        _ target: String,
        headers: HTTPFields = [:],
        body: ByteBuffer? = nil,
        timeout: TimeAmount,
        isIdempotent: Bool? = nil
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.isIdempotent = isIdempotent ?? UpstreamFailure.isIdempotent(method)
    }
}
