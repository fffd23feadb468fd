/// The public WebSocket routes, as the gateway and the service that owns each spell them.
public enum WebSocketPaths {
    /// The QR login hub (seed function 13), owned by Auth and relayed by the gateway.
    public static let qrHub = "/auth_events/qr_auth"
    /// The real-time gateway: every event of every chat of the user, owned by the gateway.
    public static let gateway = "/gateway/ws"
}
