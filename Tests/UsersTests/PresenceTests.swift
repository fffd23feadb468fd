import Foundation
import HTTPTypes
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Users

/// Presence (seed 000): a user is online within 5 minutes of activity a gateway reported; each change is
/// announced once, by one report, at most once per user per 10 s.
@Suite struct PresenceTests {
    @Test func aReportMakesAUserOnlineAndHandsOutTheChangeOnce() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            try await app.seed(id: 2, username: "bob")
            let first = try await app.report([1])
            #expect(first.status == .ok)
            let changes = try app.changes(first)
            #expect(changes.map(\.userID) == [1])
            #expect(changes.first?.status == .online)
            let alice = try await app.searchObject("alice")
            #expect(alice["is_online"] as? Bool == true)
            #expect(alice["last_online_at"] as? String == changes.first?.lastOnlineAt)
            #expect((alice["last_online_at"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
            let bob = try await app.searchObject("bob")
            #expect(bob["is_online"] as? Bool == false)
            #expect(bob["last_online_at"] is NSNull)
            // Still online: nothing more to announce, however often reported.
            #expect(try app.changes(try await app.report([1])).isEmpty)
            #expect(try app.changes(try await app.report([])).isEmpty)
        }
    }

    @Test func activityMoreThanFiveMinutesAgoIsOffline() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            try await app.execute(
                "UPDATE users.profiles SET last_online_at = '2025-01-01T12:00:00Z' WHERE id = 1"
            )
            let alice = try await app.searchObject("alice")
            #expect(alice["is_online"] as? Bool == false)
            #expect(alice["last_online_at"] as? String == "2025-01-01T12:00:00Z")
            try await app.execute("UPDATE users.profiles SET last_online_at = now() - interval '299 seconds'")
            #expect(try await app.searchObject("alice")["is_online"] as? Bool == true)
        }
    }

    @Test func aUserSilentForFiveMinutesGoesOfflineOnce() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            try await app.seed(id: 2, username: "bob")
            try await app.execute(
                """
                UPDATE users.profiles SET announced_online = true, presence_announced_at = now() - interval '1 hour',
                    last_online_at = now() - interval '6 minutes'
                """
            )
            // Bob is reported: still online. Alice is reported by nobody, and any report finds her.
            let changes = try app.changes(try await app.report([2]))
            #expect(changes.map(\.userID) == [1])
            #expect(changes.first?.status == .offline)
            #expect(changes.first?.lastOnlineAt == (try await app.searchObject("alice")["last_online_at"] as? String))
            #expect(try app.changes(try await app.report([2])).isEmpty)
            #expect(try app.changes(try await app.report([])).isEmpty)
        }
    }

    @Test func aChangeWithinTenSecondsOfTheLastWaitsForTheirEnd() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            // Alice's going offline was announced a moment ago; she is back.
            try await app.execute(
                """
                UPDATE users.profiles SET announced_online = false, presence_announced_at = now() - interval '2 seconds',
                    last_online_at = now() - interval '6 minutes'
                """
            )
            #expect(try app.changes(try await app.report([1])).isEmpty)
            #expect(try app.changes(try await app.report([])).isEmpty)
            // The REST objects are live all the same.
            #expect(try await app.searchObject("alice")["is_online"] as? Bool == true)
            // Ten seconds after the last announcement the next report (anyone's) announces it.
            try await app.execute("UPDATE users.profiles SET presence_announced_at = now() - interval '10 seconds'")
            let changes = try app.changes(try await app.report([]))
            #expect(changes.map(\.userID) == [1])
            #expect(changes.first?.status == .online)
        }
    }

    @Test func concurrentReportsHandEachChangeToOneOfThem() async throws {
        try await withUsersApp { app in
            try await app.execute(
                "INSERT INTO users.profiles (id, username) SELECT i, 'user' || i FROM generate_series(1, 200) AS i"
            )
            let ids = Array(Int64(1)...200)
            let answers = try await withThrowingTaskGroup(of: [PresenceChange].self) { group in
                for _ in 0..<4 { group.addTask { try app.changes(try await app.report(ids)) } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(answers.map(\.userID).sorted() == ids)
            #expect(answers.allSatisfy { $0.status == .online })
        }
    }

    @Test func reportsAreBoundedAndChecked() async throws {
        try await withUsersApp { app in
            let tooMany = try await app.report(Array(1...Int64(PresenceReport.maxUserIDs + 1)))
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.detail == "At most 10000 ids per request")
            #expect(try await app.report([0]).status == .unprocessableContent)
            let malformed = try await app.send(.post, "/internal/presence", headers: gatewayHeaders(), body: "[1]")
            #expect(malformed.status == .badRequest)
        }
    }

    @Test func theInternalRoutesRefuseCallsWithoutTheInternalToken() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let report = try await app.send(.post, "/internal/presence", headers: headers, body: #"{"user_ids":[1]}"#)
            #expect(report.status == .forbidden)
            #expect(report.detail?.contains("gateway") == true)
            let summaries = try await app.send(
                .post,
                "/internal/profiles/summaries?presence=true",
                headers: headers,
                body: #"{"ids":[1]}"#
            )
            #expect(summaries.status == .forbidden)
            // Nothing was marked.
            #expect(try await app.integer("SELECT count(*) FROM users.profiles WHERE last_online_at IS NOT NULL") == 0)
        }
    }

    @Test func summariesCarryPresenceOnlyWhenAskedFor() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            _ = try await app.report([1])
            let plain = try await app.send(
                .post,
                "/internal/profiles/summaries",
                headers: gatewayHeaders(),
                body: #"{"ids":[1]}"#
            )
            #expect(plain.text == #"[{"id":1,"username":"alice","avatar_url":null}]"#)
            let withPresence = try await app.send(
                .post,
                "/internal/profiles/summaries?presence=true",
                headers: gatewayHeaders(),
                body: #"{"ids":[1]}"#
            )
            let users = try JSONDecoder().decode([PublicUser].self, from: withPresence.body)
            #expect(users.map(\.summary) == [UserSummary(id: 1, username: "alice", avatarURL: nil)])
            #expect(users.first?.isOnline == true)
            let search = try await app.send(.get, "/users/user/?username=alice")
            #expect(withPresence.text == search.text)
        }
    }
}

extension UsersFixture {
    /// `POST /internal/presence` as a gateway sends it.
    func report(_ userIDs: [Int64]) async throws -> UsersAnswer {
        let body = String(decoding: try JSONEncoder().encode(PresenceReport(userIDs: userIDs)), as: UTF8.self)
        return try await send(.post, "/internal/presence", headers: gatewayHeaders(), body: body)
    }

    /// The changes a report answered.
    func changes(_ answer: UsersAnswer) throws -> [PresenceChange] {
        guard answer.status == .ok else {
            throw UsersTestFailure(description: "report: \(answer.status) \(answer.text)")
        }
        return try JSONDecoder().decode([PresenceChange].self, from: answer.body)
    }

    /// The one user `GET /users/user/?username=` finds.
    func searchObject(_ username: String) async throws -> [String: Any] {
        let answer = try await send(.get, "/users/user/?username=\(username)")
        guard let user = answer.array?.first, answer.array?.count == 1 else {
            throw UsersTestFailure(description: "search \(username): \(answer.text)")
        }
        return user
    }

    /// Runs `sql` (a test's set-up).
    func execute(_ sql: String) async throws {
        try await database.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}
