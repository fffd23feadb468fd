import Foundation
import HTTPTypes
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Users

/// A change of a user's profile appends its `USER_UPDATE` in the change's own transaction: to the users
/// who share a chat with it (PrivateChat's answer, asked before) and to itself, with `d` the user as
/// `GET /users/user/` lists it.
@Suite struct UserUpdateEventTests {
    @Test func anAvatarUploadTellsTheContactsAndTheUserWithTheSearchObject() async throws {
        try await withUsersApp(contacts: FixedContacts(contacts: [1: [2, 3]])) { app in
            try await app.seed(id: 1, username: "alice")
            try await app.seed(id: 4, username: "dave")
            #expect(try await app.upload(MultipartBody(file: TestImages.png)).status == .ok)
            let events = try await app.outbox()
            #expect(events.map(\.type) == ["USER_UPDATE"])
            #expect(events.first?.recipients == [2, 3, 1])
            // `d` is the search's object, to the byte.
            let search = try await app.send(.get, "/users/user/?username=alice")
            #expect("[" + (events.first?.payload ?? "") + "]" == search.text)
            #expect(search.text.contains(UsersFixture.mediaBaseURL + "/avatars/1/"))
        }
    }

    @Test func withoutPrivateChatTheChangeStillHappensAndTellsTheUserAlone() async throws {
        try await withUsersApp(contacts: FixedContacts(contacts: nil)) { app in
            try await app.seed(id: 1, username: "alice")
            #expect(try await app.upload(MultipartBody(file: TestImages.png)).status == .ok)
            #expect(try await app.avatarKey(of: 1) != nil)
            #expect(try await app.outbox().map(\.recipients) == [[1]])
        }
    }

    @Test func aFailedChangeWritesNoEvent() async throws {
        try await withUsersApp(contacts: FixedContacts(contacts: [1: [2]])) { app in
            // No profile for the caller: nothing changes, and nobody hears of anything.
            let answer = try await app.upload(MultipartBody(file: TestImages.png))
            #expect(answer.status == .notFound)
            #expect(try await app.outbox().isEmpty)
        }
    }
}

extension UsersFixture {
    /// The rows of `events.outbox`, oldest first.
    func outbox() async throws -> [(type: String, recipients: [Int64], payload: String)] {
        let rows = try await database.query(
            "SELECT type, recipients, payload FROM events.outbox ORDER BY id",
            logger: logger
        )
        var events: [(type: String, recipients: [Int64], payload: String)] = []
        for try await (type, recipients, payload) in rows.decode((String, [Int64], String).self) {
            events.append((type, recipients, payload))
        }
        return events
    }
}
