/// A request to an outside HTTP service (Yandex, S3), sent by ``CurlHTTPClient``.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// GET, HEAD, PUT, DELETE and OPTIONS may be repeated without changing the outcome.
    public var isIdempotent: Bool {
        ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method)
    }
}

/// The answer of an outside HTTP service.
public struct OutboundResponse: Sendable {
    public var status: Int
    /// Header lines of the final response, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// The first header named `name`, ignoring case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Why an outside call failed. Callers answer these as 503 (the dependency is down), never as 500.
public struct OutboundError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for matching.
    public enum Kind: Sendable, Equatable {
        /// No connection could be made (refused, DNS, unreachable).
        case unreachable
        /// The connect or total timeout passed.
        case timeout
        /// The peer's certificate did not verify.
        case tls
        /// The response was larger than allowed.
        case responseTooLarge
        /// Any other transfer failure.
        case transfer
    }

    public var kind: Kind
    /// curl's message, for logs (never shown to clients).
    public var message: String

    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind): \(message)" }
}
