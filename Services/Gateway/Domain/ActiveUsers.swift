import Synchronization

/// The users this gateway saw make an authenticated request since the last presence report: recorded on
/// the request path (one insert under a lock), taken by the ``PresenceReporter``.
public final class ActiveUsers: Sendable {
    private let seen = Mutex<Set<Int64>>([])

    public init() {}

    /// Records a request of `userID`.
    public func record(_ userID: Int64) {
        seen.withLock { _ = $0.insert(userID) }
    }

    /// The users recorded since the last call, forgotten here.
    func take() -> Set<Int64> {
        seen.withLock { seen in
            let taken = seen
            seen = []
            return taken
        }
    }

    /// Puts back users a report could not deliver, for the next one.
    func restore(_ userIDs: some Sequence<Int64>) {
        seen.withLock { $0.formUnion(userIDs) }
    }
}
