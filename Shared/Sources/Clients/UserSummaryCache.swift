import Synchronization

/// The user summaries a service asked Users for, kept for a while: a page of messages or a chat list
/// then needs no call to Users for the authors and peers it has seen recently.
///
/// Bounded: entries live in two generations of at most ``capacity`` each; when the current one is full
/// it becomes the previous one and the old previous is dropped (an approximate least-recently-used
/// order: a hit in the previous generation moves the entry forward). Entries older than ``lifetime`` are
/// not served. ``forget(_:)`` (a profile changed) and ``forgetAll()`` bump a generation counter, and
/// ``store(_:ifUnchangedSince:now:)`` stores nothing fetched before such a bump, so an answer Users gave
/// before a change cannot be cached after the change's notification.
public final class UserSummaryCache: Sendable {
    struct Entry {
        var summary: UserSummary
        var storedAt: ContinuousClock.Instant
    }

    struct State {
        var current: [Int64: Entry] = [:]
        var previous: [Int64: Entry] = [:]
        /// Bumped by every forget: what was fetched before a bump may be stale.
        var changes: UInt64 = 0
    }

    /// How long an entry is served.
    public let lifetime: Duration
    /// The most entries of one generation (at most twice this are held).
    public let capacity: Int
    private let state = Mutex(State())

    public init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// The cached summaries of `ids` that are fresh at `now`, the ids it has none for, and the change
    /// count to hand back to ``store(_:ifUnchangedSince:now:)`` with what Users answers for them.
    public func lookup(
        _ ids: some Collection<Int64>,
        now: ContinuousClock.Instant
    ) -> (found: [Int64: UserSummary], missing: Set<Int64>, changes: UInt64) {
        var found: [Int64: UserSummary] = [:]
        found.reserveCapacity(ids.count)
        var missing: Set<Int64> = []
        let oldest = now - lifetime
        let changes = state.withLock { state in
            for id in ids where found[id] == nil {
                if let entry = state.current[id], entry.storedAt > oldest {
                    found[id] = entry.summary
                } else if let entry = state.previous.removeValue(forKey: id), entry.storedAt > oldest {
                    found[id] = entry.summary
                    Self.insert(entry, for: id, into: &state, capacity: capacity)
                } else {
                    missing.insert(id)
                }
            }
            return state.changes
        }
        return (found, missing, changes)
    }

    /// Stores `summaries`, fetched when ``lookup(_:now:)`` answered `changes`, unless a profile changed
    /// since then.
    public func store(
        _ summaries: some Sequence<UserSummary>,
        ifUnchangedSince changes: UInt64,
        now: ContinuousClock.Instant
    ) {
        state.withLock { state in
            guard state.changes == changes else { return }
            for summary in summaries {
                Self.insert(Entry(summary: summary, storedAt: now), for: summary.id, into: &state, capacity: capacity)
            }
        }
    }

    /// Drops the summary of `userID` (its profile changed).
    public func forget(_ userID: Int64) {
        state.withLock { state in
            state.current[userID] = nil
            state.previous[userID] = nil
            state.changes &+= 1
        }
    }

    /// Drops every summary (changes may have been missed).
    public func forgetAll() {
        state.withLock { state in
            state.current = [:]
            state.previous = [:]
            state.changes &+= 1
        }
    }

    /// How many summaries are held.
    public var count: Int {
        state.withLock { $0.current.count + $0.previous.count }
    }

    private static func insert(_ entry: Entry, for id: Int64, into state: inout State, capacity: Int) {
        if state.current.count >= capacity, state.current[id] == nil {
            state.previous = state.current
            state.current = [:]
            state.current.reserveCapacity(capacity)
        }
        state.current[id] = entry
    }
}
