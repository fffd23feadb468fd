import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Users

private let usernameRuleDetail = "Username must be 3-32 characters: latin letters, digits, '_', '.', '-'"

@Suite struct CreateProfileTests {
    @Test func creatingAProfileAnswers201WithItsSummary() async throws {
        try await withUsersApp { app in
            let answer = try await app.createProfile(
                NewProfile(id: 7, username: "alice", description: "hi", status: "busy")
            )
            #expect(answer.status == .created)
            let object = try #require(answer.object)
            #expect(object["id"] as? Int == 7)
            #expect(object["username"] as? String == "alice")
            #expect(object["avatar_url"] is NSNull)
            #expect(
                try await app.store.summaries(ids: [7], logger: app.logger) == [
                    UserSummary(id: 7, username: "alice", avatarURL: nil)
                ]
            )
            #expect(
                try await app.integer(
                    "SELECT count(*) FROM users.profiles WHERE description = 'hi' AND status = 'busy'"
                ) == 1
            )
        }
    }

    @Test func anOutsideAvatarMustBeAnHTTPSURL() async throws {
        try await withUsersApp { app in
            let yandex = "https://avatars.yandex.net/get-yapic/1/islands-retina-50"
            let accepted = try await app.createProfile(
                NewProfile(id: 7, username: "ivan", description: "", status: "", avatarURL: yandex)
            )
            #expect(accepted.status == .created)
            #expect(accepted.object?["avatar_url"] as? String == yandex)
            for url in [
                "http://example.com/a.png", "javascript:alert(1)", "https://x/" + String(repeating: "a", count: 600),
            ] {
                let refused = try await app.createProfile(
                    NewProfile(id: 8, username: "petr", description: "", status: "", avatarURL: url)
                )
                #expect(refused.status == .unprocessableContent, "\(url)")
                #expect(refused.detail == "avatar_url must be an https URL")
            }
            #expect(try await app.profileCount() == 1)
        }
    }

    @Test func createdProfileIsFoundBySearch() async throws {
        try await withUsersApp { app in
            #expect(
                try await app.createProfile(
                    NewProfile(id: 3, username: "Bob.the-builder_1", description: "", status: "")
                ).status == .created
            )
            let answer = try await app.send(.get, "/users/user/?username=bob.THE-builder_1")
            #expect(answer.array?.first?["id"] as? Int == 3)
        }
    }

    @Test func duplicateUsernameWithDifferentCaseIsConflict() async throws {
        try await withUsersApp { app in
            #expect(
                try await app.createProfile(NewProfile(id: 1, username: "alice", description: "", status: "")).status
                    == .created
            )
            let answer = try await app.createProfile(NewProfile(id: 2, username: "ALICE", description: "", status: ""))
            #expect(answer.status == .conflict)
            #expect(answer.detail == "This username is already taken")
            #expect(try await app.profileCount() == 1)
            #expect(
                try await app.store.summaries(ids: [1, 2], logger: app.logger) == [
                    UserSummary(id: 1, username: "alice", avatarURL: nil)
                ]
            )
        }
    }

    @Test func duplicateIDIsConflict() async throws {
        try await withUsersApp { app in
            #expect(
                try await app.createProfile(NewProfile(id: 1, username: "alice", description: "", status: "")).status
                    == .created
            )
            let answer = try await app.createProfile(NewProfile(id: 1, username: "bob", description: "", status: ""))
            #expect(answer.status == .conflict)
            #expect(answer.detail == "A profile with this id exists")
            #expect(try await app.profileCount() == 1)
            #expect(try await app.store.publicUsers(username: "bob", logger: app.logger).isEmpty)
        }
    }

    @Test func invalidUsernamesAreUnprocessableAndStoreNothing() async throws {
        try await withUsersApp { app in
            let invalid = [
                "ab", String(repeating: "a", count: 33), "bad name", "кириллица", "", "semi;colon", "slash/name",
            ]
            for (index, username) in invalid.enumerated() {
                let answer = try await app.createProfile(
                    NewProfile(id: Int64(index + 1), username: username, description: "", status: "")
                )
                #expect(answer.status == .unprocessableContent, "\(username)")
                #expect(answer.detail == usernameRuleDetail, "\(username)")
            }
            #expect(try await app.profileCount() == 0)
        }
    }

    @Test func usernamesOf3And32CharactersAreAccepted() async throws {
        try await withUsersApp { app in
            let shortest = try await app.createProfile(NewProfile(id: 1, username: "abc", description: "", status: ""))
            let longest = try await app.createProfile(
                NewProfile(id: 2, username: String(repeating: "z", count: 32), description: "", status: "")
            )
            #expect(shortest.status == .created)
            #expect(longest.status == .created)
            #expect(try await app.profileCount() == 2)
        }
    }

    @Test func descriptionOf191CharactersIsUnprocessable() async throws {
        try await withUsersApp { app in
            let answer = try await app.createProfile(
                NewProfile(id: 1, username: "alice", description: String(repeating: "d", count: 191), status: "")
            )
            #expect(answer.status == .unprocessableContent)
            #expect(answer.detail == "Description must be at most 190 characters")
            #expect(try await app.profileCount() == 0)
        }
    }

    @Test func statusOf31CharactersIsUnprocessable() async throws {
        try await withUsersApp { app in
            let answer = try await app.createProfile(
                NewProfile(id: 1, username: "alice", description: "", status: String(repeating: "s", count: 31))
            )
            #expect(answer.status == .unprocessableContent)
            #expect(answer.detail == "Status must be at most 30 characters")
            #expect(try await app.profileCount() == 0)
        }
    }

    @Test func descriptionOf190AndStatusOf30CharactersAreAccepted() async throws {
        try await withUsersApp { app in
            // Cyrillic letters take two bytes each: the limits count characters, not bytes.
            let answer = try await app.createProfile(
                NewProfile(
                    id: 1,
                    username: "alice",
                    description: String(repeating: "я", count: 190),
                    status: String(repeating: "ж", count: 30)
                )
            )
            #expect(answer.status == .created)
            #expect(try await app.integer("SELECT char_length(description) FROM users.profiles WHERE id = 1") == 190)
            #expect(try await app.integer("SELECT char_length(status) FROM users.profiles WHERE id = 1") == 30)
        }
    }

    @Test func nonPositiveIDIsUnprocessable() async throws {
        try await withUsersApp { app in
            for id: Int64 in [0, -5] {
                let answer = try await app.createProfile(
                    NewProfile(id: id, username: "alice", description: "", status: "")
                )
                #expect(answer.status == .unprocessableContent, "\(id)")
                #expect(answer.detail == "id must be a positive integer", "\(id)")
            }
            #expect(try await app.profileCount() == 0)
        }
    }

    @Test func missingFieldIsUnprocessableAndNamed() async throws {
        try await withUsersApp { app in
            let answer = try await app.send(
                .post,
                "/internal/profiles",
                headers: gatewayHeaders(caller: nil, language: nil),
                body: #"{"id": 1, "description": "", "status": ""}"#
            )
            #expect(answer.status == .unprocessableContent)
            #expect(answer.detail == "Field 'username' is required")
            #expect(try await app.profileCount() == 0)
        }
    }

    @Test func malformedJSONIsBadRequest() async throws {
        try await withUsersApp { app in
            let answer = try await app.send(
                .post,
                "/internal/profiles",
                headers: gatewayHeaders(caller: nil, language: nil),
                body: "{not json"
            )
            #expect(answer.status == .badRequest)
            #expect(answer.detail != nil)
            #expect(try await app.profileCount() == 0)
        }
    }
}

@Suite struct ProfileSummariesTests {
    @Test func summariesReturnOnlyExistingIDs() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            try await app.seed(id: 2, username: "bob")
            try await app.seed(id: 3, username: "carol")
            let answer = try await app.send(
                .post,
                "/internal/profiles/summaries",
                headers: gatewayHeaders(caller: nil, language: nil),
                body: #"{"ids": [3, 1, 99, 1, 404]}"#
            )
            #expect(answer.status == .ok)
            let summaries = try JSONDecoder().decode([UserSummary].self, from: answer.body)
            #expect(
                summaries == [
                    UserSummary(id: 1, username: "alice", avatarURL: nil),
                    UserSummary(id: 3, username: "carol", avatarURL: nil),
                ]
            )
            #expect(answer.text.contains(#""avatar_url":null"#))
        }
    }

    @Test func summariesOfNoIDsIsAnEmptyList() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            let answer = try await app.send(
                .post,
                "/internal/profiles/summaries",
                headers: gatewayHeaders(caller: nil, language: nil),
                body: #"{"ids": []}"#
            )
            #expect(answer.status == .ok)
            #expect(answer.array?.isEmpty == true)
        }
    }

    @Test func tooManyIDsIsUnprocessable() async throws {
        try await withUsersApp { app in
            let ids = (1...1001).map { String($0) }.joined(separator: ",")
            let answer = try await app.send(
                .post,
                "/internal/profiles/summaries",
                headers: gatewayHeaders(caller: nil, language: nil),
                body: #"{"ids": [\#(ids)]}"#
            )
            #expect(answer.status == .unprocessableContent)
            #expect(answer.detail == "At most 1000 ids per request")
        }
    }
}

@Suite struct DeleteProfileTests {
    @Test func deletingAProfileAnswers204AndRemovesTheRow() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 5, username: "alice")
            try await app.seed(id: 6, username: "bob")
            let answer = try await app.send(
                .delete,
                "/internal/profiles/5",
                headers: gatewayHeaders(caller: nil, language: nil)
            )
            #expect(answer.status == .noContent)
            #expect(try await app.store.summaries(ids: [5], logger: app.logger).isEmpty)
            #expect(try await app.profileCount() == 1)
            // The username is free again.
            #expect(
                try await app.createProfile(NewProfile(id: 7, username: "ALICE", description: "", status: "")).status
                    == .created
            )
        }
    }

    @Test func deletingAMissingProfileIsNotAnError() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            let answer = try await app.send(
                .delete,
                "/internal/profiles/999",
                headers: gatewayHeaders(caller: nil, language: nil)
            )
            #expect(answer.status == .noContent)
            #expect(try await app.profileCount() == 1)
        }
    }

    @Test func deletingWithoutInternalTokenIsForbidden() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 5, username: "alice")
            let answer = try await app.send(.delete, "/internal/profiles/5", headers: HTTPFields())
            #expect(answer.status == .forbidden)
            #expect(try await app.profileCount() == 1)
        }
    }
}
