import Foundation
import Synchronization

/// The instances of one service, from a comma-separated list of base URLs (`USERS_URL=http://a:8082,http://b:8082`).
///
/// - ``attemptOrder()`` spreads requests round-robin and puts instances that failed in the last
///   ``quarantine`` last, so a dead instance costs one failed connection, not one per request.
/// - ``ranked(for:)`` orders the instances by rendezvous hashing of a key: every caller with the same list
///   sends the same key to the same instance (the QR hub of a `client_id`), and only the keys of an
///   instance that leaves the list move.
/// - ``firstSuccess(in:isIdempotent:onFailure:attempt:)`` is the one failover loop every caller uses.
public final class ServiceInstances: Sendable {
    /// The instances, in the order given.
    public let all: [ServiceInstance]
    /// How long an instance that failed is tried last.
    public let quarantine: Duration
    /// The time now; tests pass their own clock.
    let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())

    private struct State {
        var next = 0
        var failedAt: [Int: ContinuousClock.Instant] = [:]
    }

    /// - Parameters:
    ///   - instances: the instances; with none, every call fails as unreachable.
    ///   - now: the clock the quarantine is measured with.
    public init(
        _ instances: [ServiceInstance],
        quarantine: Duration = .seconds(5),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        all = instances
        self.quarantine = quarantine
        self.now = now
    }

    /// - Parameters:
    ///   - list: one or more base URLs separated by commas; blanks are ignored.
    ///   - local: the service of this process, for the URLs that reach it.
    public convenience init(
        _ list: String,
        local: LocalService? = nil,
        quarantine: Duration = .seconds(5),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        let urls = Self.urls(in: list)
        self.init(
            urls.map { url in ServiceInstance(url: url, local: local.flatMap { $0.isReached(by: url) ? $0 : nil }) },
            quarantine: quarantine,
            now: now
        )
    }

    /// The base URLs of a comma-separated list, trimmed (``ServiceInstance`` drops a trailing slash).
    static func urls(in list: String) -> [String] {
        let urls = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return urls.isEmpty ? [list] : urls
    }

    /// The base URLs, in the order given.
    public var urls: [String] { all.map(\.url) }

    /// The instances to try for one request, first choice first.
    public func attemptOrder() -> [ServiceInstance] {
        let now = now()
        let (start, failed) = state.withLock { state -> (Int, [Int: ContinuousClock.Instant]) in
            let start = state.next
            state.next = all.isEmpty ? 0 : (state.next + 1) % all.count
            return (start, state.failedAt)
        }
        let rotated = (0..<all.count).map { (start + $0) % all.count }
        let isQuarantined = { (index: Int) in failed[index].map { now - $0 < self.quarantine } ?? false }
        return (rotated.filter { !isQuarantined($0) } + rotated.filter(isQuarantined)).map { all[$0] }
    }

    /// Runs `attempt` on the instances in `order` (by default ``attemptOrder()``) until one succeeds, and
    /// returns its result.
    ///
    /// A failure moves on to the next instance when no connection was made (the request never arrived,
    /// ``UpstreamFailure/isConnectFailure(_:)``), or at any failure when `isIdempotent`; a request that may
    /// have reached an instance is not repeated. Each failure marks its instance failed and is passed to
    /// `onFailure` for the caller's log.
    /// - Parameter order: the instances to try, first choice first (``ranked(for:)`` for a keyed request).
    /// - Returns: `nil` when no instance succeeded.
    public func firstSuccess<Result: Sendable>(
        in order: [ServiceInstance]? = nil,
        isIdempotent: Bool,
        onFailure: (_ instance: ServiceInstance, _ error: any Error) -> Void,
        attempt: (_ instance: ServiceInstance) async throws -> Result
    ) async -> Result? {
        for instance in order ?? attemptOrder() {
            do {
                let result = try await attempt(instance)
                markHealthy(instance)
                return result
            } catch {
                markFailed(instance)
                onFailure(instance, error)
                guard isIdempotent || UpstreamFailure.isConnectFailure(error) else { return nil }
            }
        }
        return nil
    }

    /// The instances in rendezvous order for `key`: the same for every caller with the same list.
    public func ranked(for key: String) -> [ServiceInstance] {
        all.sorted { Self.score(key, $0.url) > Self.score(key, $1.url) }
    }

    /// Records that `instance` failed, so it is tried last for a while.
    public func markFailed(_ instance: ServiceInstance) {
        guard let index = all.firstIndex(of: instance) else { return }
        let now = now()
        state.withLock { $0.failedAt[index] = now }
    }

    /// Records that `instance` answered.
    public func markHealthy(_ instance: ServiceInstance) {
        guard let index = all.firstIndex(of: instance) else { return }
        state.withLock { _ = $0.failedAt.removeValue(forKey: index) }
    }

    /// FNV-1a (64-bit) of `key` and `url`, mixed with MurmurHash3's finalizer so URLs that differ in
    /// one character still score independently; stable across processes, unlike `Hasher`.
    static func score(_ key: String, _ url: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(key.utf8) + [0] + Array(url.utf8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }
}
