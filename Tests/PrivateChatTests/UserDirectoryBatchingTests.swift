import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Shared
import TestSupport
import Testing
import Users

@testable import PrivateChat

/// PrivateChat asks Users about the owners of a whole page in one call, not one per message.
@Suite struct UserDirectoryBatchingTests {
    @Test func aPageOfMessagesCostsOneDirectoryCall() async throws {
        let migrators = [UsersMigrations.migrator, ChatMigrations.migrator, EventsMigrations.migrator]
        try await withFreshDatabase(migrators: migrators) { database in
            let profiles = PostgresProfileStore(client: database, media: MediaLinks(baseURL: "http://media.test"))
            let logger = Logger(label: "test")
            try await profiles.create(Profile(id: 1, username: "alice"), logger: logger)
            try await profiles.create(Profile(id: 2, username: "bob"), logger: logger)
            let store = PostgresChatStore(client: database)
            let names: PostgresChatStore.Names = [
                1: UserSummary(id: 1, username: "alice", avatarURL: nil),
                2: UserSummary(id: 2, username: "bob", avatarURL: nil),
            ]
            let chat = try await store.startChat(
                starterID: 1,
                recipientID: 2,
                firstText: "first",
                names: names,
                logger: logger
            ).chatID
            for index in 0..<40 {
                _ = try await store.post(
                    chatID: chat,
                    ownerID: index.isMultiple(of: 2) ? 1 : 2,
                    text: "m\(index)",
                    answerID: nil,
                    owner: names[index.isMultiple(of: 2) ? 1 : 2]!,
                    logger: logger
                )
            }
            let counter = CallCounter()
            let router = PrivateChatService.makeRouter(
                store: store,
                directory: CountingDirectory(inner: StoreBackedDirectory(store: profiles), counter: counter),
                internalToken: testInternalToken,
                database: database
            )
            try await Application(router: router).test(.router) { client in
                let status = try await client.execute(
                    uri: "/private/\(chat)/messages?limit=41",
                    method: .get,
                    headers: gatewayHeaders(caller: Caller(userID: 1, sessionID: "s"))
                ) { $0.status }
                #expect(status == .ok)
            }
            let calls = await counter.calls
            #expect(calls == [[1, 2]])
        }
    }
}
