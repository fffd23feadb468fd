import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Auth

/// `GET /internal/sessions/revoked`: the revocations the gateway polls, in commit order.
@Suite struct InternalAuthRoutesTests {
    @Test func aLogoutThatCommitsLateIsListedByTheNextPoll() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let late = try caller(ofAccessToken: try await app.tokens().access)
            let early = try caller(ofAccessToken: try await app.tokens().access)
            let start = try await app.revocations(after: nil)
            #expect(start.sessions.isEmpty)

            // The first logout starts (its revoked_at is taken now) and its transaction stays open...
            let lateID = try #require(UUID(uuidString: late.sessionID))
            let passed = try await app.database.withConnection { held in
                try await held.query("BEGIN", logger: app.logger)
                try await held.query(
                    "UPDATE auth.sessions SET revoked_at = now() WHERE id = \(lateID)",
                    logger: app.logger
                )
                // ...while a later logout commits first and a poll passes it.
                let logout = try await app.send(.post, "/auth/logout/", headers: gatewayHeaders(caller: early))
                #expect(logout.status == .ok)
                let passed = try await app.revocations(after: start.cursor)
                #expect(passed.sessions.map { $0.sessionID.lowercased() } == [early.sessionID.lowercased()])
                try await held.query("COMMIT", logger: app.logger)
                return passed
            }
            // A poll by time (`revoked_at > newest seen`) would have skipped the late commit for good.
            #expect(try await app.revokedAt(late.sessionID) < app.revokedAt(early.sessionID))

            let next = try await app.revocations(after: passed.cursor)
            #expect(next.sessions.map { $0.sessionID.lowercased() }.contains(late.sessionID.lowercased()))
        }
    }

    @Test func theFirstPollListsEveryUnexpiredRevocationHoweverItWasMade() async throws {
        try await withAuthApp { app in
            try await app.registered()
            var sessions: [Caller] = []
            for _ in 0..<3 { sessions.append(try caller(ofAccessToken: try await app.tokens().access)) }
            let ids = try sessions.map { try #require(UUID(uuidString: $0.sessionID)) }
            for session in sessions[0...1] {
                let logout = try await app.send(.post, "/auth/logout/", headers: gatewayHeaders(caller: session))
                #expect(logout.status == .ok)
            }
            // An operator's manual revocation is stamped by the trigger like a logout.
            try await app.database.query(
                "UPDATE auth.sessions SET revoked_at = now() WHERE id = \(ids[2])",
                logger: app.logger
            )
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions WHERE revoked_xid IS NOT NULL") == 3)
            // An expired session needs no listing: its tokens are refused anyway.
            try await app.database.query(
                "UPDATE auth.sessions SET expires_at = now() - interval '1 second' WHERE id = \(ids[0])",
                logger: app.logger
            )
            let page = try await app.revocations(after: nil)
            #expect(
                Set(page.sessions.map { $0.sessionID.lowercased() })
                    == Set(ids[1...2].map { $0.uuidString.lowercased() })
            )
        }
    }

    @Test func aCursorThatIsNotOneIs400() async throws {
        try await withAuthApp { app in
            for bad in ["x", "-1", "1.5", "99999999999999999999999", "1e3", "%2B1"] {
                let answer = try await app.send(.get, "/internal/sessions/revoked?after=\(bad)")
                #expect(answer.status == .badRequest, "\(bad)")
                #expect(answer.detail == "after must be a cursor from an earlier answer", "\(bad)")
            }
        }
    }
}

extension AuthFixture {
    /// One poll of `GET /internal/sessions/revoked`, as the gateway sends it.
    func revocations(after cursor: String?) async throws -> RevocationPage {
        let answer = try await send(.get, "/internal/sessions/revoked" + (cursor.map { "?after=\($0)" } ?? ""))
        guard answer.status == .ok else {
            throw AuthTestFailure(description: "revocations: \(answer.status) \(answer.text)")
        }
        return try JSONDecoder().decode(RevocationPage.self, from: answer.body)
    }

    /// The stored `revoked_at` of `sessionID`.
    func revokedAt(_ sessionID: String) async throws -> Date {
        let id = try #require(UUID(uuidString: sessionID))
        let rows = try await database.query("SELECT revoked_at FROM auth.sessions WHERE id = \(id)", logger: logger)
        for try await value in rows.decode(Date.self) { return value }
        throw AuthTestFailure(description: "session \(sessionID) is not revoked")
    }
}
