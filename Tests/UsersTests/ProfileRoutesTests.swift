import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Shared
import TestSupport
import Testing

@testable import Users

@Suite struct UserSearchTests {
    @Test func searchIsExactAndIgnoresCase() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "Alice")
            try await app.seed(id: 2, username: "alice2")
            try await app.seed(id: 3, username: "bob")

            for query in ["alice", "ALICE", "Alice", "aLiCe"] {
                let answer = try await app.send(.get, "/users/user/?username=\(query)")
                #expect(answer.status == .ok, "\(query)")
                let list = try #require(answer.array, "\(query)")
                #expect(list.count == 1, "\(query)")
                #expect(list.first?["id"] as? Int == 1, "\(query)")
                #expect(list.first?["username"] as? String == "Alice", "\(query)")
            }
        }
    }

    @Test func searchDoesNotMatchPrefixesOrSubstrings() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            for query in ["ali", "lice", "alice2", "alic"] {
                let answer = try await app.send(.get, "/users/user/?username=\(query)")
                #expect(answer.status == .ok, "\(query)")
                #expect(answer.array?.isEmpty == true, "\(query)")
            }
        }
    }

    @Test func searchAnswerHasIDUsernameAndNullAvatarURL() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 42, username: "carol")
            let answer = try await app.send(.get, "/users/user/?username=carol")
            #expect(answer.status == .ok)
            let list = try #require(answer.array)
            let entry = try #require(list.first)
            #expect(list.count == 1)
            #expect(Set(entry.keys) == Set(["id", "username", "avatar_url", "is_online", "last_online_at"]))
            #expect(entry["id"] as? Int == 42)
            #expect(entry["username"] as? String == "carol")
            #expect(entry["avatar_url"] is NSNull)
            // Never seen active: offline, with no time.
            #expect(
                answer.text
                    == #"[{"id":42,"username":"carol","avatar_url":null,"is_online":false,"last_online_at":null}]"#
            )
            // The typed contract decodes it too.
            let summaries = try JSONDecoder().decode([UserSummary].self, from: answer.body)
            #expect(summaries == [UserSummary(id: 42, username: "carol", avatarURL: nil)])
        }
    }

    @Test func searchAnswerCarriesAnAvatarURLWhenThereIsOne() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 5, username: "dave", avatarURL: "https://cdn.example.com/dave.png")
            let answer = try await app.send(.get, "/users/user?username=dave")
            #expect(answer.status == .ok)
            #expect(answer.array?.first?["avatar_url"] as? String == "https://cdn.example.com/dave.png")
        }
    }

    @Test func searchWithAndWithoutTrailingSlashBothWork() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            let withSlash = try await app.send(.get, "/users/user/?username=alice")
            let withoutSlash = try await app.send(.get, "/users/user?username=alice")
            #expect(withSlash.status == .ok)
            #expect(withoutSlash.status == .ok)
            #expect(withSlash.array?.first?["id"] as? Int == 1)
            #expect(withoutSlash.array?.first?["id"] as? Int == 1)
        }
    }

    @Test func searchWithoutUsernameIsUnprocessable() async throws {
        try await withUsersApp { app in
            for uri in ["/users/user/", "/users/user", "/users/user/?username=", "/users/user/?name=alice"] {
                let answer = try await app.send(.get, uri)
                #expect(answer.status == .unprocessableContent, "\(uri)")
                #expect(answer.detail == "Query parameter 'username' is required", "\(uri)")
            }
        }
    }

    @Test func missingUsernameIsExplainedInRussianWhenAsked() async throws {
        try await withUsersApp { app in
            let headers = gatewayHeaders(caller: UsersFixture.caller, language: "ru")
            let answer = try await app.send(.get, "/users/user/", headers: headers)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.detail == "Параметр 'username' обязателен")
        }
    }

    @Test func overlongSearchFindsNothing() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            let answer = try await app.send(.get, "/users/user/?username=\(String(repeating: "a", count: 65))")
            #expect(answer.status == .ok)
            #expect(answer.array?.isEmpty == true)
        }
    }

    @Test func searchWithoutCallerIsUnauthorized() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            let answer = try await app.send(
                .get,
                "/users/user/?username=alice",
                headers: gatewayHeaders(caller: nil, language: nil)
            )
            #expect(answer.status == .unauthorized)
            #expect(answer.detail == "Not authenticated")
            #expect(answer.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test func callerWithoutSessionIsUnauthorized() async throws {
        try await withUsersApp { app in
            var headers = gatewayHeaders(caller: UsersFixture.caller, language: nil)
            headers[InternalHeaders.sessionID] = nil
            let answer = try await app.send(.get, "/users/user/?username=alice", headers: headers)
            #expect(answer.status == .unauthorized)
        }
    }

    @Test func malformedCallerIDIsUnauthorized() async throws {
        try await withUsersApp { app in
            var headers = gatewayHeaders(caller: UsersFixture.caller, language: nil)
            headers[InternalHeaders.userID] = "not-a-number"
            let answer = try await app.send(.get, "/users/user/?username=alice", headers: headers)
            #expect(answer.status == .unauthorized)
        }
    }
}

@Suite struct UsersInternalTokenTests {
    @Test func requestWithoutInternalTokenIsForbidden() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            var headers = gatewayHeaders(caller: UsersFixture.caller, language: nil)
            headers[InternalHeaders.token] = nil
            let answer = try await app.send(.get, "/users/user/?username=alice", headers: headers)
            #expect(answer.status == .forbidden)
            let detail = try #require(answer.detail)
            #expect(detail.contains("gateway"))
        }
    }

    @Test func requestWithWrongInternalTokenIsForbidden() async throws {
        try await withUsersApp { app in
            var headers = gatewayHeaders(caller: UsersFixture.caller, language: nil)
            headers[InternalHeaders.token] = testInternalToken + "x"
            let answer = try await app.send(.get, "/users/user/?username=alice", headers: headers)
            #expect(answer.status == .forbidden)
            #expect(answer.detail?.contains("gateway") == true)
        }
    }

    @Test func internalRoutesWithoutTokenAreForbiddenAndWriteNothing() async throws {
        try await withUsersApp { app in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let answer = try await app.send(
                .post,
                "/internal/profiles",
                headers: headers,
                body: #"{"id": 1, "username": "alice", "description": "", "status": ""}"#
            )
            #expect(answer.status == .forbidden)
            #expect(answer.detail?.contains("gateway") == true)
            #expect(try await app.profileCount() == 0)
        }
    }

    @Test func healthNeedsNoToken() async throws {
        try await withUsersApp { app in
            let answer = try await app.send(.get, "/health", headers: HTTPFields())
            #expect(answer.status == .ok)
            let object = try #require(answer.object)
            #expect(object["status"] as? String == "ok")
            #expect(object["service"] as? String == "users")
            #expect(object["database"] as? String == "ok")
        }
    }
}
