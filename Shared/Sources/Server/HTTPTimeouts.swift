import NIOCore

/// How long a client connection may take at each stage before the server closes it, so idle sockets,
/// slow-header (slowloris) and stalled-body clients cannot hold file descriptors forever.
public struct HTTPTimeouts: Sendable, Equatable {
    /// From accepting a connection until the first request's head (request line and headers) is
    /// complete (`HTTP_HEADER_TIMEOUT`).
    public var header: TimeAmount
    /// From a request's head until its body has arrived in full (`HTTP_BODY_TIMEOUT`).
    public var body: TimeAmount
    /// How long a connection may sit with no request after its last answer, and how long a request may
    /// go without any progress (`HTTP_IDLE_TIMEOUT`). A later request's head must also be complete by then.
    public var idle: TimeAmount

    public init(header: TimeAmount = .seconds(10), body: TimeAmount = .seconds(60), idle: TimeAmount = .seconds(75)) {
        self.header = header
        self.body = body
        self.idle = idle
    }
}
