/// A numbered event of the outbox, as the gateways deliver it.
public struct StoredEvent: Sendable, Equatable {
    /// Its place in the order every gateway delivers events: the `s` of its dispatch.
    public var position: Int64
    /// The dispatch's `t` (``EventType`` raw value).
    public var type: String
    /// The users who receive it.
    public var recipients: [Int64]
    /// The dispatch's `d`, as JSON object text.
    public var payload: String
    /// The gateway session whose `send_message` caused it, which alone gets `nonce` echoed.
    public var originSession: String?
    public var nonce: String?
}
