import HTTPTypes

/// Headers that carry trust between the gateway and the services. The gateway strips them from every
/// client request before it sets its own, so a client can never supply them.
public enum InternalHeaders {
    /// The shared service secret; proves a request came from the gateway or another service.
    public static let token = HTTPField.Name("X-Internal-Token")!
    /// The caller's user id, set by the gateway after it verified the access token.
    public static let userID = HTTPField.Name("X-User-Id")!
    /// The caller's session id.
    public static let sessionID = HTTPField.Name("X-Session-Id")!
    /// The request id, generated at the gateway when the client sent none.
    public static let requestID = HTTPField.Name("X-Request-Id")!

    /// The client's address as the gateway saw it, for per-address limits in the services.
    public static let clientAddress = HTTPField.Name("X-Forwarded-For")!

    /// Set by the gateway's WebSocket relay: the hub waits for the relay's first frame before it sends
    /// anything (see `HubRelay`).
    public static let hubRelay = HTTPField.Name("X-Hub-Relay")!

    /// Set by the gateway when a WebSocket op (`send_message`) makes the call: the gateway session whose
    /// connection gets the op's `nonce` echoed in the resulting event.
    public static let gatewaySession = HTTPField.Name("X-Gateway-Session")!

    /// All headers a client must never be able to set.
    public static let trusted: [HTTPField.Name] = [token, userID, sessionID, clientAddress, hubRelay, gatewaySession]
}
