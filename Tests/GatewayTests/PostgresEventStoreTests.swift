import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// The outbox as the gateways read it, on PostgreSQL: numbering, a user's replay, and pruning with the
/// horizon that tells a resume its events are gone.
@Suite struct PostgresEventStoreTests {
    static let logger = Logger(label: "event-store-tests")

    /// Appends one event per payload for `recipients`, each in its own transaction.
    static func append(_ payloads: [String], to recipients: [Int64], on client: PostgresClient) async throws {
        for payload in payloads {
            try await client.withConnection { connection in
                try await connection.append(
                    [OutboxEvent(.userUpdate, to: recipients, payload: payload)],
                    logger: logger
                )
            }
        }
    }

    @Test func numberedEventsAreReadInOrderAndReplayedPerUser() async throws {
        try await withFreshDatabase(migrators: [EventsMigrations.migrator]) { client in
            let store = PostgresEventStore(client: client)
            try await Self.append(["{\"n\":1}", "{\"n\":2}"], to: [1, 2], on: client)
            try await Self.append(["{\"n\":3}"], to: [2], on: client)
            #expect(try await store.events(after: 0, limit: 10, logger: Self.logger).isEmpty)
            let numbered = try await store.sequence(logger: Self.logger)
            #expect(numbered.count == 3)
            #expect(numbered.lastPosition == 3)
            #expect(try await store.sequence(logger: Self.logger).count == 0)
            let all = try await store.events(after: 0, limit: 10, logger: Self.logger)
            #expect(all.map(\.payload) == ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"])
            #expect(all.map(\.position) == [1, 2, 3])
            let first = try await store.events(of: 1, after: 0, through: 3, limit: 10, logger: Self.logger)
            #expect(first.map(\.position) == [1, 2])
            let second = try await store.events(of: 2, after: 1, through: 2, limit: 10, logger: Self.logger)
            #expect(second.map(\.position) == [2])
        }
    }

    @Test func pruningKeepsEachUsersNewestAndRecordsTheHorizon() async throws {
        try await withFreshDatabase(migrators: [EventsMigrations.migrator]) { client in
            let store = PostgresEventStore(client: client)
            // User 1 has six events, user 2 one (the first), all older than the retention (0 s here).
            try await Self.append(["{\"n\":1}"], to: [1, 2], on: client)
            try await Self.append((2...6).map { "{\"n\":\($0)}" }, to: [1], on: client)
            try await store.sequence(logger: Self.logger)
            try await client.query(
                "UPDATE events.outbox SET created_at = now() - interval '1 hour'",
                logger: Self.logger
            )
            let pruned = try await store.prune(
                retention: .seconds(60),
                keepPerUser: 2,
                sessionLifetime: .seconds(86_400),
                logger: Self.logger
            )
            // User 1 keeps 5 and 6; user 2 keeps its only event, so event 1 stays for them.
            #expect(pruned.deliveries == 4)
            #expect(pruned.events == 3)
            let kept = try await store.events(of: 1, after: 0, through: 6, limit: 10, logger: Self.logger)
            #expect(kept.map(\.position) == [5, 6])
            #expect(try await store.horizon(of: 1, logger: Self.logger) == 4)
            #expect(try await store.horizon(of: 2, logger: Self.logger) == 0)
            #expect(try await store.events(of: 2, after: 0, through: 6, limit: 10, logger: Self.logger).count == 1)
            // Positions never go back, whatever was pruned.
            try await Self.append(["{\"n\":7}"], to: [1], on: client)
            #expect(try await store.sequence(logger: Self.logger).lastPosition == 7)
        }
    }

    @Test func aSessionBelongsToItsUserForItsLifetime() async throws {
        try await withFreshDatabase(migrators: [EventsMigrations.migrator]) { client in
            let store = PostgresEventStore(client: client)
            try await store.createSession("abc", userID: 5, logger: Self.logger)
            #expect(try await store.sessionUser("abc", maxAge: .seconds(60), logger: Self.logger) == 5)
            #expect(try await store.sessionUser("abd", maxAge: .seconds(60), logger: Self.logger) == nil)
            try await client.query(
                "UPDATE events.sessions SET created_at = now() - interval '2 minutes'",
                logger: Self.logger
            )
            #expect(try await store.sessionUser("abc", maxAge: .seconds(60), logger: Self.logger) == nil)
        }
    }
}
