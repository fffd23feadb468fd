import Foundation
import Logging
import Shared
import Testing

@Suite struct CachedUserDirectoryTests {
    /// Users, as far as the cache can tell: answers the ids it knows and records what it was asked.
    final class CountingDirectory: UserDirectory, @unchecked Sendable {
        let known: [Int64: UserSummary]
        private let lock = NSLock()
        private var asked: [Set<Int64>] = []

        init(_ users: [UserSummary]) {
            known = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
        }

        var requests: [Set<Int64>] { lock.withLock { asked } }

        func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary] {
            lock.withLock { asked.append(ids) }
            return known.filter { ids.contains($0.key) }
        }

        func publicUsers(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: PublicUser] {
            [:]
        }
    }

    let logger = Logger(label: "test")
    let users = (1...3).map { UserSummary(id: $0, username: "user\($0)", avatarURL: nil) }

    @Test func asksUsersOnlyForTheIdsItDoesNotHold() async throws {
        let base = CountingDirectory(users)
        let directory = CachedUserDirectory(base: base, cache: UserSummaryCache(lifetime: .seconds(60)))
        #expect(try await directory.summaries(of: [1, 2], requestID: "r", logger: logger).count == 2)
        let second = try await directory.summaries(of: [1, 2, 3, 9], requestID: "r", logger: logger)
        #expect(second == [1: users[0], 2: users[1], 3: users[2]])
        // An unknown id is not remembered as missing: a profile created later must show.
        _ = try await directory.summaries(of: [1, 9], requestID: "r", logger: logger)
        #expect(base.requests == [[1, 2], [3, 9], [9]])
    }

    @Test func aLifetimeOfZeroAsksUsersEveryTime() async throws {
        let base = CountingDirectory(users)
        let directory = CachedUserDirectory(base: base, cache: UserSummaryCache(lifetime: .zero))
        _ = try await directory.summaries(of: [1], requestID: "r", logger: logger)
        _ = try await directory.summaries(of: [1], requestID: "r", logger: logger)
        #expect(base.requests == [[1], [1]])
    }
}
