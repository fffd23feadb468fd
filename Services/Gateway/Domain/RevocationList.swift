import Foundation
import Synchronization

/// Sessions that were revoked while their access tokens may still be unexpired.
///
/// Checked on every authenticated request, so it is a lock, not an actor.
public final class RevocationList: Sendable {
    struct State {
        var revoked: [String: Date] = [:]
        var cursor: Date
    }

    private let state: Mutex<State>
    let tokenLifetime: TimeInterval

    /// - Parameter tokenLifetime: entries are dropped this long after revocation, when every token of
    ///   the session has expired anyway.
    public init(tokenLifetime: TimeInterval, now: Date = Date()) {
        self.tokenLifetime = tokenLifetime
        state = Mutex(State(cursor: now.addingTimeInterval(-tokenLifetime)))
    }

    /// The newest revocation time seen, the cursor for the next poll.
    public var cursor: Date { state.withLock { $0.cursor } }

    /// Whether `sessionID` was revoked.
    public func contains(_ sessionID: String) -> Bool {
        state.withLock { $0.revoked[sessionID] != nil }
    }

    /// Adds revocations and forgets those older than the token lifetime.
    public func add(_ entries: [(sessionID: String, revokedAt: Date)], now: Date = Date()) {
        let horizon = now.addingTimeInterval(-tokenLifetime)
        state.withLock { state in
            for entry in entries {
                state.revoked[entry.sessionID] = entry.revokedAt
                state.cursor = max(state.cursor, entry.revokedAt)
            }
            state.revoked = state.revoked.filter { $0.value > horizon }
        }
    }
}
