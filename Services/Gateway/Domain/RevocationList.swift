import Foundation

/// Sessions that were revoked while their access tokens may still be unexpired.
public actor RevocationList {
    private var revoked: [String: Date] = [:]
    /// The newest revocation time seen, the cursor for the next poll.
    public private(set) var cursor: Date
    let tokenLifetime: TimeInterval

    /// - Parameter tokenLifetime: entries are dropped this long after revocation, when every token of
    ///   the session has expired anyway.
    public init(tokenLifetime: TimeInterval, now: Date = Date()) {
        self.tokenLifetime = tokenLifetime
        cursor = now.addingTimeInterval(-tokenLifetime)
    }

    /// Whether `sessionID` was revoked.
    public func contains(_ sessionID: String) -> Bool {
        revoked[sessionID] != nil
    }

    /// Adds revocations and forgets those older than the token lifetime.
    public func add(_ entries: [(sessionID: String, revokedAt: Date)], now: Date = Date()) {
        for entry in entries {
            revoked[entry.sessionID] = entry.revokedAt
            cursor = max(cursor, entry.revokedAt)
        }
        let horizon = now.addingTimeInterval(-tokenLifetime)
        revoked = revoked.filter { $0.value > horizon }
    }
}
