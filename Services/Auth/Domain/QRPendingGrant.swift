/// A grant that may still be exchanged: whom it logs in, and the `code_challenge` its exchange must answer.
public struct QRPendingGrant: Sendable, Equatable {
    public var userID: Int64
    /// The S256 `code_challenge` of the hub's opener; `nil` for a hub opened without one (a seed client).
    public var codeChallenge: String?

    public init(userID: Int64, codeChallenge: String?) {
        self.userID = userID
        self.codeChallenge = codeChallenge
    }
}
