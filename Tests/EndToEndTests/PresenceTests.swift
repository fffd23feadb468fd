import Foundation
import Logging
import NIOHTTP1
import PostgresNIO
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// Presence and profile changes through the gateway: `is_online` from REST activity, `PRESENCE_UPDATE`
    /// to the contacts of a user whose presence changed (once, at most one per 10 s), and `USER_UPDATE` of
    /// a changed profile to its contacts and itself. Reports go every 200 ms here (`PRESENCE_FLUSH_MS`).
    @Suite(.timeLimit(.minutes(2))) struct PresenceTests {
        static func fastReports(_ config: inout MessengerConfig) {
            config.presenceFlushInterval = 200
        }

        /// The first report comes after a minute, when the test is over.
        static func noReports(_ config: inout MessengerConfig) {
            config.presenceFlushInterval = 60_000
        }

        @Test func anAuthenticatedRequestMakesAUserOnlineAndFiveSilentMinutesOffline() async throws {
            try await withMessenger(configure: Self.fastReports) { messenger in
                let api = messenger.gateway
                // Signing up ends with a search, the first authenticated request of each.
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let online = try await Self.poll("alice online") {
                    let found = try await api.send(.GET, "/users/user/?username=alice", token: bob.token).array.first
                    return found?["is_online"] as? Bool == true ? found : nil
                }
                #expect(online["id"] as? Int == alice.id)
                #expect(online["last_online_at"] is String)
                try await messenger.execute(
                    "UPDATE users.profiles SET last_online_at = now() - interval '301 seconds' WHERE id = \(alice.id)"
                )
                let silent = try await api.send(.GET, "/users/user/?username=alice", token: bob.token).array.first
                #expect(silent?["is_online"] as? Bool == false)
                #expect(silent?["last_online_at"] is String)
            }
        }

        @Test func presenceUpdateReachesTheContactsAndNobodyElse() async throws {
            try await withMessenger(configure: Self.fastReports) { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let carol = try await api.signUp("carol")
                let dave = try await api.signUp("dave")
                _ = try await api.startChat(as: alice.token, with: bob.id)
                try await Task.sleep(for: .milliseconds(600))  // every sign-up reported and announced
                let url = messenger.gatewaySocketURL
                _ = try await withHubConnection(url: url) { bobSocket in
                    _ = try await bobSocket.identify(bob.token)
                    _ = try await withHubConnection(url: url) { carolSocket in
                        _ = try await carolSocket.identify(carol.token)
                        // Alice was last announced offline, long ago; then she makes a request.
                        try await messenger.execute(
                            """
                            UPDATE users.profiles SET announced_online = false, last_online_at = now() - interval '1 hour',
                                presence_announced_at = now() - interval '1 hour' WHERE id = \(alice.id)
                            """
                        )
                        #expect(try await api.send(.GET, "/private/chat-list/", token: alice.token).status == 200)
                        let update = try await bobSocket.nextDispatch(ofType: "PRESENCE_UPDATE")
                        #expect(update.sequence == nil)
                        #expect(update.data["user_id"] as? Int == alice.id)
                        #expect(update.data["status"] as? String == "online")
                        let search = try await api.send(.GET, "/users/user/?username=alice", token: bob.token)
                        #expect(
                            update.data["last_online_at"] as? String == search.array.first?["last_online_at"] as? String
                        )
                        #expect(update.text.hasSuffix(#","s":null,"t":"PRESENCE_UPDATE"}"#))
                        // Carol shares no chat with Alice: the first thing she hears of is her own new chat.
                        _ = try await api.startChat(as: dave.token, with: carol.id)
                        #expect(try await carolSocket.nextDispatch().type == "CHAT_CREATE")
                    }
                }
            }
        }

        @Test func goingOfflineIsAnnouncedOnceAndAComebackWithinTenSecondsWaits() async throws {
            try await withMessenger(configure: Self.fastReports) { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let chat = try await api.startChat(as: alice.token, with: bob.id)
                try await Task.sleep(for: .milliseconds(600))
                _ = try await withHubConnection(url: messenger.gatewaySocketURL) { bobSocket in
                    _ = try await bobSocket.identify(bob.token)
                    try await messenger.execute(
                        """
                        UPDATE users.profiles SET announced_online = true, last_online_at = now() - interval '6 minutes',
                            presence_announced_at = now() - interval '1 hour' WHERE id = \(alice.id)
                        """
                    )
                    let offline = try await bobSocket.nextDispatch(ofType: "PRESENCE_UPDATE")
                    #expect(offline.data["user_id"] as? Int == alice.id)
                    #expect(offline.data["status"] as? String == "offline")
                    // Alice is back at once: she posts. Her coming online is held for the rest of the 10 s;
                    // a second `offline` never comes.
                    try await Self.post("back", to: chat, as: alice.token, api: api)
                    #expect(try await bobSocket.nextDispatch().data["text"] as? String == "back")
                    try await Task.sleep(for: .seconds(1))  // 5 reports
                    try await Self.post("still here", to: chat, as: bob.token, api: api)
                    #expect(try await bobSocket.nextDispatch().data["text"] as? String == "still here")
                    // Ten seconds after the announcement (moved back here instead of waited for): one `online`.
                    try await messenger.execute(
                        """
                        UPDATE users.profiles SET presence_announced_at = presence_announced_at - interval '10 seconds'
                        WHERE id = \(alice.id)
                        """
                    )
                    let online = try await bobSocket.nextDispatch()
                    #expect(online.type == "PRESENCE_UPDATE")
                    #expect(online.data["user_id"] as? Int == alice.id)
                    #expect(online.data["status"] as? String == "online")
                    try await Task.sleep(for: .seconds(1))
                    try await Self.post("and nothing else", to: chat, as: bob.token, api: api)
                    #expect(try await bobSocket.nextDispatch().data["text"] as? String == "and nothing else")
                }
            }
        }

        @Test func aChangedAvatarReachesTheContactsAndTheUserAsSearchListsIt() async throws {
            // No report during the test: the presence in `d` and in the search cannot differ.
            try await withMessenger(configure: Self.noReports) { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let carol = try await api.signUp("carol")
                let dave = try await api.signUp("dave")
                _ = try await api.startChat(as: bob.token, with: alice.id)
                let carolAndDave = try await api.startChat(as: dave.token, with: carol.id)
                let url = messenger.gatewaySocketURL
                _ = try await withHubConnection(url: url) { aliceSocket in
                    _ = try await aliceSocket.identify(alice.token)
                    _ = try await withHubConnection(url: url) { bobSocket in
                        _ = try await bobSocket.identify(bob.token)
                        _ = try await withHubConnection(url: url) { carolSocket in
                            _ = try await carolSocket.identify(carol.token)
                            let upload = try await api.upload(
                                "/users/upload-avatar/",
                                form: MultipartBody(file: TestImages.png),
                                token: alice.token
                            )
                            #expect(upload.status == 200)
                            let search = try await api.send(.GET, "/users/user/?username=alice", token: bob.token)
                            #expect(
                                search.array.first?["avatar_url"] as? String == upload.object["avatar_url"] as? String
                            )
                            let listed = search.text.dropFirst().dropLast()
                            for socket in [aliceSocket, bobSocket] {
                                let update = try await socket.nextDispatch(ofType: "USER_UPDATE")
                                #expect(update.sequence != nil)
                                #expect(update.text.hasPrefix(#"{"op":"dispatch","d":"# + listed + #","s":"#))
                            }
                            // Carol shares no chat with Alice: she hears of Dave's message and nothing before it.
                            try await Self.post("barrier", to: carolAndDave, as: dave.token, api: api)
                            while true {
                                let next = try await carolSocket.nextDispatch()
                                #expect(next.type != "USER_UPDATE", "carol got \(next.text)")
                                if next.data["text"] as? String == "barrier" { break }
                            }
                        }
                    }
                }
            }
        }

        static func post(_ text: String, to chatID: Int, as token: String, api: TestHTTP) async throws {
            let answer = try await api.send(
                .POST,
                "/private/add-message/\(chatID)/",
                json: ["text": text],
                token: token
            )
            #expect(answer.status == 200)
        }

        /// `probe`'s first non-nil answer, asked every 100 ms for up to 10 s.
        static func poll<Value>(_ what: String, _ probe: () async throws -> Value?) async throws -> Value {
            for _ in 0..<100 {
                if let value = try await probe() { return value }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw E2EFailure("\(what): not within 10 s")
        }
    }
}

extension RunningMessenger {
    /// Runs `sql` on the messenger's database (a test's set-up).
    func execute(_ sql: String) async throws {
        let settings = try DatabaseSettings(url: try #require(config.databaseURL))
        let database = PostgresClient(configuration: settings.configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            try await database.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "e2e-sql"))
        }
    }
}
