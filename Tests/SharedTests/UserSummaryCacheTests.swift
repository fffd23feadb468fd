import Shared
import Testing

@Suite struct UserSummaryCacheTests {
    static func summary(_ id: Int64, _ name: String = "user") -> UserSummary {
        UserSummary(id: id, username: "\(name)\(id)", avatarURL: nil)
    }

    let start = ContinuousClock.now

    @Test func servesWhatItStoredAndNamesWhatItLacks() {
        let cache = UserSummaryCache(lifetime: .seconds(60))
        let first = cache.lookup([1, 2], now: start)
        #expect(first.found.isEmpty)
        #expect(first.missing == [1, 2])
        cache.store([Self.summary(1), Self.summary(2)], ifUnchangedSince: first.changes, now: start)
        let second = cache.lookup([1, 2, 3], now: start + .seconds(1))
        #expect(second.found == [1: Self.summary(1), 2: Self.summary(2)])
        #expect(second.missing == [3])
    }

    @Test func entriesOlderThanTheLifetimeAreNotServed() {
        let cache = UserSummaryCache(lifetime: .seconds(60))
        cache.store([Self.summary(1)], ifUnchangedSince: cache.lookup([1], now: start).changes, now: start)
        #expect(cache.lookup([1], now: start + .seconds(59)).found.count == 1)
        #expect(cache.lookup([1], now: start + .seconds(61)).missing == [1])
    }

    @Test func aForgottenUserIsAskedForAgain() {
        let cache = UserSummaryCache(lifetime: .seconds(60))
        cache.store(
            [Self.summary(1), Self.summary(2)],
            ifUnchangedSince: cache.lookup([1, 2], now: start).changes,
            now: start
        )
        cache.forget(1)
        let after = cache.lookup([1, 2], now: start)
        #expect(after.missing == [1])
        #expect(after.found[2] == Self.summary(2))
        cache.forgetAll()
        #expect(cache.lookup([1, 2], now: start).missing == [1, 2])
        #expect(cache.count == 0)
    }

    /// An answer Users gave before a change must not be cached after the change's notification dropped
    /// the user: it would show the old name or picture until the entry expired.
    @Test func anAnswerFetchedBeforeAChangeIsNotStored() {
        let cache = UserSummaryCache(lifetime: .seconds(60))
        let asked = cache.lookup([1], now: start)
        cache.forget(1)  // the change commits while the request waits for Users
        cache.store([Self.summary(1, "old")], ifUnchangedSince: asked.changes, now: start)
        #expect(cache.lookup([1], now: start).missing == [1])
        let again = cache.lookup([1], now: start)
        cache.store([Self.summary(1, "new")], ifUnchangedSince: again.changes, now: start)
        #expect(cache.lookup([1], now: start).found[1] == Self.summary(1, "new"))
    }

    @Test func holdsAtMostTwoGenerationsAndKeepsWhatIsUsed() {
        let cache = UserSummaryCache(lifetime: .seconds(60), capacity: 100)
        for id in Int64(1)...1000 {
            cache.store([Self.summary(id)], ifUnchangedSince: cache.lookup([id], now: start).changes, now: start)
            // User 1 is read all the time: it stays however many others come and go.
            #expect(cache.lookup([1], now: start).found[1] != nil, "after \(id)")
        }
        #expect(cache.count <= 200)
        #expect(cache.lookup([2], now: start).missing == [2])
    }
}
