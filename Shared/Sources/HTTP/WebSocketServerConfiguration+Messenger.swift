import HummingbirdWebSocket

extension WebSocketServerConfiguration {
    /// The WebSocket settings of the gateway and Auth (the QR hub).
    ///
    /// No protocol-level pings: the hub has its own heartbeat (a client silent for twice the heartbeat
    /// interval is dropped, and every hub closes after its lifetime), so a ping task per connection
    /// (a child task and its stack, about 3 KB each) would only duplicate it. Frames are capped at
    /// 8 KiB, the largest hub message accepted.
    public static let messenger = WebSocketServerConfiguration(maxFrameSize: 8192, autoPing: .disabled)

    /// The gateway's: the same, with frames up to 64 KiB, so a `send_message` of 4,000 characters of any
    /// script fits the real-time WebSocket. Each route bounds its messages itself (the QR hub still reads
    /// at most 8 KiB).
    public static let gateway = WebSocketServerConfiguration(maxFrameSize: 65536, autoPing: .disabled)
}
