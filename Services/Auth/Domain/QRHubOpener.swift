/// The client that opened a QR hub (the browser showing the code), as the phone is shown it and as the grant
/// of the hub is bound to it.
public struct QRHubOpener: Sendable, Equatable {
    /// The opener's address, as the gateway saw it.
    public var address: String
    /// What its `User-Agent` says it is (``DeviceSummary``).
    public var device: String
    /// The S256 `code_challenge` it opened the hub with: the hub's `auth_token` is then exchanged only with the
    /// matching `code_verifier`. `nil` for a client that sent none (a seed client).
    public var codeChallenge: String?

    public init(address: String, device: String, codeChallenge: String?) {
        self.address = address
        self.device = device
        self.codeChallenge = codeChallenge
    }
}
