import Foundation
import Shared
import Synchronization

/// Sessions that were revoked while their access tokens may still be unexpired.
///
/// Checked on every authenticated request, so it is a lock, not an actor.
public final class RevocationList: Sendable {
    struct State {
        var revoked: [String: Date] = [:]
        var cursor: CommitCursor?
    }

    private let state: Mutex<State>
    let tokenLifetime: TimeInterval

    /// - Parameter tokenLifetime: entries are dropped this long after revocation, when every token of
    ///   the session has expired anyway.
    public init(tokenLifetime: TimeInterval) {
        self.tokenLifetime = tokenLifetime
        state = Mutex(State())
    }

    /// Where the next poll continues (in commit order); `nil` until the first poll answered, which then
    /// asks for every unexpired revocation.
    public var cursor: CommitCursor? { state.withLock { $0.cursor } }

    /// Whether `sessionID` was revoked.
    public func contains(_ sessionID: String) -> Bool {
        state.withLock { $0.revoked[sessionID] != nil }
    }

    /// Adds revocations (adding one again changes nothing), moves the cursor to `cursor` when given, and
    /// forgets revocations older than the token lifetime.
    public func add(
        _ entries: [(sessionID: String, revokedAt: Date)],
        cursor: CommitCursor? = nil,
        now: Date = Date()
    ) {
        let horizon = now.addingTimeInterval(-tokenLifetime)
        state.withLock { state in
            for entry in entries {
                state.revoked[entry.sessionID] = entry.revokedAt
            }
            if let cursor { state.cursor = cursor }
            state.revoked = state.revoked.filter { $0.value > horizon }
        }
    }
}
