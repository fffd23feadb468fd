import Synchronization

/// At most one `typing` per chat per ``interval`` per user on this instance; the rest are dropped.
final class TypingLimiter: Sendable {
    struct Key: Hashable {
        var userID: Int64
        var chatID: Int64
    }

    let interval: Duration
    private let last = Mutex<[Key: ContinuousClock.Instant]>([:])

    init(interval: Duration = .seconds(5)) {
        self.interval = interval
    }

    /// Whether `userID` may announce typing in `chatID` now (and records it if so).
    func allows(userID: Int64, chatID: Int64, now: ContinuousClock.Instant = .now) -> Bool {
        last.withLock { last in
            let key = Key(userID: userID, chatID: chatID)
            if let previous = last[key], now - previous < interval { return false }
            // Bounded by the users typing in the last interval: older entries go once the map grows.
            if last.count >= 4096 { last = last.filter { now - $0.value < interval } }
            last[key] = now
            return true
        }
    }
}
