import HummingbirdWebSocket

extension WebSocketServerConfiguration {
    /// The WebSocket settings of the gateway and Auth (the QR hub).
    ///
    /// No protocol-level pings: the hub has its own heartbeat (a client silent for twice the heartbeat
    /// interval is dropped, and every hub closes after its lifetime), so a ping task per connection
    /// (a child task and its stack, about 3 KB each) would only duplicate it. Frames are capped at
    /// 8 KiB, the largest hub message accepted.
    public static let messenger = WebSocketServerConfiguration(maxFrameSize: 8192, autoPing: .disabled)
}
