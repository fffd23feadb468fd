import Logging

/// A ``UserDirectory`` that answers summaries from a ``UserSummaryCache`` and asks `base` (Users) only
/// for the ids it does not hold. Presence (``publicUsers(of:requestID:logger:)``) changes by the minute
/// and always goes to `base`.
public struct CachedUserDirectory<Base: UserDirectory>: UserDirectory {
    let base: Base
    let cache: UserSummaryCache

    public init(base: Base, cache: UserSummaryCache) {
        self.base = base
        self.cache = cache
    }

    public func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary] {
        guard cache.lifetime > .zero else {
            return try await base.summaries(of: ids, requestID: requestID, logger: logger)
        }
        let (found, missing, changes) = cache.lookup(ids, now: .now)
        guard !missing.isEmpty else { return found }
        let fetched = try await base.summaries(of: missing, requestID: requestID, logger: logger)
        cache.store(fetched.values, ifUnchangedSince: changes, now: .now)
        return found.merging(fetched) { cached, _ in cached }
    }

    public func publicUsers(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: PublicUser] {
        try await base.publicUsers(of: ids, requestID: requestID, logger: logger)
    }
}
