import Foundation
import Logging
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Auth

/// Spent tickets and one-time grants, on a real database.
@Suite struct QRGrantStoreTests {
    static let logger = Logger(label: "qr-grant-test")

    /// A fresh database with the auth schema and one account; returns the store and the account id.
    static func withStore(_ body: @escaping @Sendable (PostgresQRGrantStore, Int64) async throws -> Void) async throws {
        try await withFreshDatabase(migrators: [AuthMigrations.migrator]) { client in
            let accounts = PostgresAccountStore(client: client)
            let id = try await accounts.createPending(
                email: "qr@example.com",
                passwordHash: nil,
                yandexID: nil,
                logger: logger
            )
            _ = try await accounts.activate(id: id, logger: logger)
            try await body(PostgresQRGrantStore(client: client), id)
        }
    }

    /// Stores a grant of `userID` for `clientID`, valid for a minute unless `expiresAt` says otherwise.
    static func storeGrant(
        _ tokenHash: [UInt8],
        userID: Int64,
        clientID: String = "client-a",
        codeChallenge: String? = nil,
        expiresAt: Date = Date().addingTimeInterval(60),
        in store: PostgresQRGrantStore
    ) async throws {
        try await store.storeGrant(
            tokenHash: tokenHash,
            userID: userID,
            clientID: clientID,
            codeChallenge: codeChallenge,
            expiresAt: expiresAt,
            logger: logger
        )
    }

    @Test func aTicketCanBeSpentOnce() async throws {
        try await Self.withStore { store, _ in
            let expiry = Date().addingTimeInterval(60)
            let first = try await store.spendTicket(id: "t1", expiresAt: expiry, logger: Self.logger)
            let replay = try await store.spendTicket(id: "t1", expiresAt: expiry, logger: Self.logger)
            let other = try await store.spendTicket(id: "t2", expiresAt: expiry, logger: Self.logger)
            #expect(first && !replay && other)
        }
    }

    @Test func aGrantIsRedeemedOnceAndOnlyByItsClient() async throws {
        try await Self.withStore { store, userID in
            let hash = [UInt8](repeating: 1, count: 32)
            try await Self.storeGrant(hash, userID: userID, in: store)
            let wrongClient = try await store.redeemGrant(tokenHash: hash, clientID: "client-b", logger: Self.logger)
            let rightClient = try await store.redeemGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger)
            let replay = try await store.redeemGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger)
            #expect(wrongClient == nil)
            #expect(rightClient == userID)
            #expect(replay == nil)
        }
    }

    @Test func aPendingGrantKeepsItsChallengeAndIsNotSpentByReading() async throws {
        try await Self.withStore { store, userID in
            let hash = [UInt8](repeating: 5, count: 32)
            let challenge = PKCE.challenge(for: PKCE.makeVerifier())
            try await Self.storeGrant(hash, userID: userID, codeChallenge: challenge, in: store)
            let expected = QRPendingGrant(userID: userID, codeChallenge: challenge)
            #expect(
                try await store.pendingGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger) == expected
            )
            #expect(
                try await store.pendingGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger) == expected
            )
            #expect(try await store.pendingGrant(tokenHash: hash, clientID: "client-b", logger: Self.logger) == nil)
            #expect(try await store.redeemGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger) == userID)
            #expect(try await store.pendingGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger) == nil)
        }
    }

    @Test func aGrantOfAnUnboundHubHasNoChallenge() async throws {
        try await Self.withStore { store, userID in
            let hash = [UInt8](repeating: 6, count: 32)
            try await Self.storeGrant(hash, userID: userID, in: store)
            let pending = try await store.pendingGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger)
            #expect(pending == QRPendingGrant(userID: userID, codeChallenge: nil))
        }
    }

    @Test func anExpiredGrantIsRefusedAndLeftUnspent() async throws {
        try await Self.withStore { store, userID in
            let hash = [UInt8](repeating: 2, count: 32)
            try await Self.storeGrant(hash, userID: userID, expiresAt: Date().addingTimeInterval(-1), in: store)
            // The grant is stored, so the refusal below is the store's answer to its expiry, not a missing row.
            #expect(try await Self.unspentGrants(tokenHash: hash, in: store) == 1)
            let redeemed = try await store.redeemGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger)
            #expect(redeemed == nil)
            #expect(try await store.pendingGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger) == nil)
            #expect(try await Self.unspentGrants(tokenHash: hash, in: store) == 1)
            // Its expiry alone stood in the way: moved into the future, the same grant is redeemed.
            try await store.client.query(
                """
                UPDATE auth.qr_grants SET expires_at = now() + interval '1 minute'
                WHERE token_hash = \(ByteBuffer(bytes: hash))
                """,
                logger: Self.logger
            )
            #expect(try await store.redeemGrant(tokenHash: hash, clientID: "client-a", logger: Self.logger) == userID)
        }
    }

    /// How many grants with `tokenHash` are stored and not yet spent.
    static func unspentGrants(tokenHash: [UInt8], in store: PostgresQRGrantStore) async throws -> Int {
        let rows = try await store.client.query(
            """
            SELECT count(*)::int FROM auth.qr_grants
            WHERE token_hash = \(ByteBuffer(bytes: tokenHash)) AND used_at IS NULL
            """,
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    @Test func expiredTicketsAndGrantsAreRemovedByTheSweepOnly() async throws {
        try await Self.withStore { store, userID in
            let past = Date().addingTimeInterval(-120)
            let future = Date().addingTimeInterval(60)
            #expect(try await store.spendTicket(id: "old", expiresAt: past, logger: Self.logger))
            #expect(try await store.spendTicket(id: "new", expiresAt: future, logger: Self.logger))
            for (byte, expiry) in [(UInt8(3), past), (UInt8(4), future)] {
                try await Self.storeGrant(
                    [UInt8](repeating: byte, count: 32),
                    userID: userID,
                    clientID: "c",
                    expiresAt: expiry,
                    in: store
                )
            }
            try await store.removeExpired(logger: Self.logger)
            // The unexpired ticket is still spent; the expired one is gone from the table.
            #expect(try await store.spendTicket(id: "new", expiresAt: future, logger: Self.logger) == false)
            #expect(try await store.spendTicket(id: "old", expiresAt: past, logger: Self.logger))
            let live = try await store.redeemGrant(
                tokenHash: [UInt8](repeating: 4, count: 32),
                clientID: "c",
                logger: Self.logger
            )
            #expect(live == userID)
        }
    }
}
