import Foundation
import Logging
import NIOHTTP1
import PostgresNIO
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// The gateway's revocation poll under concurrent commits.
    @Suite struct RevocationTests {
        /// `revoked_at = now()` is the transaction's start: a logout that commits after a later one has been
        /// polled must still end its session at the gateway (a poll by time skipped it for good).
        @Test func aLogoutThatCommitsLateStillEndsTheSessionAtTheGateway() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let settings = try DatabaseSettings(url: try #require(messenger.config.databaseURL))
                let database = PostgresClient(configuration: settings.configuration)
                let logger = Logger(label: "e2e-revocations")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await database.run() }
                    defer { group.cancelAll() }
                    try await database.withConnection { held in
                        // Alice's revocation starts first and its transaction stays open...
                        try await held.query("BEGIN", logger: logger)
                        try await held.query(
                            "UPDATE auth.sessions SET revoked_at = now() WHERE user_id = \(Int64(alice.id))",
                            logger: logger
                        )
                        try await Task.sleep(for: .milliseconds(50))
                        // ...while Bob's logout commits, and the gateway's poll passes it.
                        #expect(try await api.send(.POST, "/auth/logout/", token: bob.token).status == 200)
                        #expect(try await Self.isRefused(bob.token, api: api))
                        // Two more poll intervals: the cursor has moved past Bob's revocation.
                        try await Task.sleep(for: .seconds(4.5))
                        #expect(try await api.send(.GET, "/private/chat-list/", token: alice.token).status == 200)
                        try await held.query("COMMIT", logger: logger)
                    }
                }
                #expect(try await Self.isRefused(alice.token, api: api))
            }
        }

        /// Whether the gateway refuses `token` within 10 s (the poll runs every 2 s).
        static func isRefused(_ token: String, api: TestHTTP) async throws -> Bool {
            for _ in 0..<50 {
                if try await api.send(.GET, "/private/chat-list/", token: token).status == 401 { return true }
                try await Task.sleep(for: .milliseconds(200))
            }
            return false
        }
    }
}
