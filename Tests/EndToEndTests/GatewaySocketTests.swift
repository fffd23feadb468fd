import Foundation
import Logging
import NIOHTTP1
import NIOWebSocket
import PostgresNIO
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// The real-time gateway WebSocket (`/gateway/ws/`): handshake, events to members only, resume on the
    /// same and on another instance, the outbox read in commit order, and the connection's limits.
    @Suite(.timeLimit(.minutes(2))) struct GatewaySocketTests {
        @Test func identifyAnswersReadyAndMessagesArriveAsTheRESTAPIListsThem() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let chatID = try await api.startChat(as: alice.token, with: bob.id, text: "Hi Bob")
                _ = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    let hello = try #require(try await socket.nextFrame())
                    #expect(hello.object["op"] as? String == "hello")
                    #expect((hello.object["d"] as? [String: Any])?["heartbeat_interval"] as? Int == 41_250)
                    try await socket.send(json: ["op": "identify", "d": ["token": alice.token]])
                    let ready = try await socket.nextDispatch()
                    #expect(ready.type == "READY")
                    let readySequence = try #require(ready.sequence)
                    #expect((ready.data["session_id"] as? String)?.count == 32)
                    #expect((ready.data["user"] as? [String: Any])?["username"] as? String == "alice")
                    let chats = try #require(ready.data["chats"] as? [[String: Any]])
                    #expect(chats.map { $0["id"] as? Int } == [chatID])
                    #expect(ready.data["resume_gateway_url"] as? String == messenger.gatewaySocketURL)

                    let posted = try await api.send(
                        .POST,
                        "/private/add-message/\(chatID)/",
                        json: ["text": "Hi Alice"],
                        token: bob.token
                    )
                    #expect(posted.status == 200)
                    let event = try await socket.nextDispatch(ofType: "MESSAGE_CREATE")
                    #expect(try #require(event.sequence) > readySequence)
                    let page = try await api.send(.GET, "/private/\(chatID)/messages?limit=1", token: alice.token)
                    // `d` is the object the REST API lists, byte for byte.
                    let listed = page.text.dropFirst().dropLast()
                    #expect(event.text.hasPrefix(#"{"op":"dispatch","d":"# + listed + #","s":"#))
                    #expect(event.text.hasSuffix(#","t":"MESSAGE_CREATE"}"#))
                }
            }
        }

        @Test func aNonMemberNeverReceivesAChatsEvents() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let carol = try await api.signUp("carol")
                let aliceAndBob = try await api.startChat(as: alice.token, with: bob.id)
                let carolAndAlice = try await api.startChat(as: carol.token, with: alice.id)
                _ = try await withHubConnection(url: messenger.gatewaySocketURL) { carolSocket in
                    _ = try await carolSocket.identify(carol.token)
                    _ = try await withHubConnection(url: messenger.gatewaySocketURL) { aliceSocket in
                        _ = try await aliceSocket.identify(alice.token)
                        for (chat, token, text) in [
                            (aliceAndBob, bob.token, "for alice and bob"), (carolAndAlice, alice.token, "for carol"),
                        ] {
                            let posted = try await api.send(
                                .POST,
                                "/private/add-message/\(chat)/",
                                json: ["text": text],
                                token: token
                            )
                            #expect(posted.status == 200)
                        }
                        #expect(
                            try await aliceSocket.nextDispatch(ofType: "MESSAGE_CREATE").data["text"] as? String
                                == "for alice and bob"
                        )
                        #expect(
                            try await aliceSocket.nextDispatch(ofType: "MESSAGE_CREATE").data["text"] as? String
                                == "for carol"
                        )
                    }
                    // Carol's first event is the second message: the first was never hers.
                    let first = try await carolSocket.nextDispatch(ofType: "MESSAGE_CREATE")
                    #expect(first.data["text"] as? String == "for carol")
                }
            }
        }

        @Test func aResumeReplaysWhatWasMissedInOrderThenGoesLive() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let chatID = try await api.startChat(as: alice.token, with: bob.id)
                let (session, lastSequence) = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    let ready = try await socket.identify(alice.token)
                    try await Self.post("seen", to: chatID, as: bob.token, api: api)
                    let seen = try await socket.nextDispatch(ofType: "MESSAGE_CREATE")
                    return (try #require(ready.data["session_id"] as? String), try #require(seen.sequence))
                }.result
                for index in 1...3 { try await Self.post("missed \(index)", to: chatID, as: bob.token, api: api) }
                _ = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    _ = try await socket.nextFrame()  // hello
                    try await socket.send(
                        json: [
                            "op": "resume", "d": ["token": alice.token, "session_id": session, "seq": lastSequence],
                        ]
                    )
                    var sequence = lastSequence
                    for index in 1...3 {
                        let replayed = try await socket.nextDispatch()
                        #expect(replayed.data["text"] as? String == "missed \(index)")
                        #expect(try #require(replayed.sequence) > sequence)
                        sequence = replayed.sequence ?? sequence
                    }
                    #expect(try await socket.nextDispatch().type == "RESUMED")
                    try await Self.post("live", to: chatID, as: bob.token, api: api)
                    let live = try await socket.nextDispatch(ofType: "MESSAGE_CREATE")
                    #expect(live.data["text"] as? String == "live")
                    #expect(try #require(live.sequence) > sequence)
                }
                // An unknown session, or a sequence from the future, cannot be resumed.
                for (candidate, sequence) in [("0123456789abcdef0123456789abcdef", 0), (session, 1 << 40)] {
                    _ = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                        _ = try await socket.nextFrame()
                        try await socket.send(
                            json: [
                                "op": "resume", "d": ["token": alice.token, "session_id": candidate, "seq": sequence],
                            ]
                        )
                        let answer = try #require(try await socket.nextFrame())
                        #expect(answer.text == #"{"op":"invalid_session","d":{"resumable":false},"s":null,"t":null}"#)
                        // The same connection may identify instead.
                        try await socket.send(json: ["op": "identify", "d": ["token": alice.token]])
                        #expect(try await socket.nextDispatch().type == "READY")
                    }
                }
            }
        }

        @Test func aSessionResumesOnAnotherGatewayInstance() async throws {
            let config = try await RunningMessenger.makeConfig()
            try await withMessenger(config: config) { first in
                var secondConfig = config
                secondConfig.port = try freePort()
                secondConfig.authURL = first.url(of: .auth)
                secondConfig.usersURL = first.url(of: .users)
                secondConfig.chatURL = first.url(of: .chat)
                try await withMessenger(services: [.gateway], config: secondConfig) { second in
                    let api = first.gateway
                    let alice = try await api.signUp("alice")
                    let bob = try await api.signUp("bob")
                    let chatID = try await api.startChat(as: alice.token, with: bob.id)
                    let ready = try await withHubConnection(url: first.gatewaySocketURL) { socket in
                        try await socket.identify(alice.token)
                    }.result
                    let session = try #require(ready.data["session_id"] as? String)
                    for index in 1...2 {
                        try await Self.post("while away \(index)", to: chatID, as: bob.token, api: api)
                    }
                    _ = try await withHubConnection(url: second.gatewaySocketURL) { socket in
                        _ = try await socket.nextFrame()
                        try await socket.send(
                            json: [
                                "op": "resume",
                                "d": ["token": alice.token, "session_id": session, "seq": ready.sequence ?? 0],
                            ]
                        )
                        #expect(
                            try await socket.nextDispatch(ofType: "MESSAGE_CREATE").data["text"] as? String
                                == "while away 1"
                        )
                        #expect(
                            try await socket.nextDispatch(ofType: "MESSAGE_CREATE").data["text"] as? String
                                == "while away 2"
                        )
                        #expect(try await socket.nextDispatch().type == "RESUMED")
                        // Posted through the first instance, delivered live by the second.
                        try await Self.post("live", to: chatID, as: bob.token, api: api)
                        #expect(
                            try await socket.nextDispatch(ofType: "MESSAGE_CREATE").data["text"] as? String == "live"
                        )
                    }
                }
            }
        }

        /// Outbox ids are taken at insert, not at commit: the event of the transaction that started
        /// first but commits last must still be delivered (a reader by id would have moved past it).
        @Test func eventsThatCommitInReverseOrderAreEachDeliveredOnce() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let settings = try DatabaseSettings(url: try #require(messenger.config.databaseURL))
                let database = PostgresClient(configuration: settings.configuration)
                let logger = Logger(label: "e2e-outbox")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await database.run() }
                    defer { group.cancelAll() }
                    _ = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                        _ = try await socket.identify(alice.token)
                        try await database.withConnection { early in
                            try await early.query("BEGIN", logger: logger)
                            try await Self.appendEvent(#"{"n":1}"#, for: alice.id, on: early, logger: logger)
                            try await database.withConnection { late in
                                try await late.query("BEGIN", logger: logger)
                                try await Self.appendEvent(#"{"n":2}"#, for: alice.id, on: late, logger: logger)
                                try await late.query("COMMIT", logger: logger)
                            }
                            let second = try await socket.nextDispatch()
                            #expect(second.data["n"] as? Int == 2)
                            try await early.query("COMMIT", logger: logger)
                            let first = try await socket.nextDispatch()
                            #expect(first.data["n"] as? Int == 1)
                            #expect(try #require(first.sequence) > second.sequence ?? .max)
                        }
                        // Nothing twice: the next event is a new one.
                        try await database.withConnection { connection in
                            try await Self.appendEvent(#"{"n":3}"#, for: alice.id, on: connection, logger: logger)
                        }
                        #expect(try await socket.nextDispatch().data["n"] as? Int == 3)
                    }
                }
            }
        }

        @Test func badFramesGetErrorsAndTheConnectionStays() async throws {
            try await withMessenger { messenger in
                let alice = try await messenger.gateway.signUp("alice")
                _ = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    _ = try await socket.nextFrame()
                    for (frame, code) in [
                        ("not json", 4002), (#"{"op":"fly"}"#, 4001), (#"{"op":"identify","d":{}}"#, 4002),
                        (#"{"op":"send_message","d":{"chat_id":1,"text":"x"}}"#, 4003),
                    ] {
                        try await socket.send(text: frame)
                        let error = try #require(try await socket.nextFrame())
                        #expect(error.object["op"] as? String == "error", "\(frame)")
                        #expect((error.object["d"] as? [String: Any])?["code"] as? Int == code, "\(frame)")
                    }
                    try await socket.send(json: ["op": "heartbeat", "d": NSNull()])
                    #expect(try await socket.nextText() == GatewayFrameText.heartbeatAck)
                    _ = try await socket.send(json: ["op": "identify", "d": ["token": alice.token]])
                    #expect(try await socket.nextDispatch().type == "READY")
                    try await socket.send(json: ["op": "identify", "d": ["token": alice.token]])
                    let again = try #require(try await socket.nextFrame())
                    #expect((again.object["d"] as? [String: Any])?["code"] as? Int == 4005)
                }
            }
        }

        @Test func theConnectionIsClosedForBadTokensSilenceAndFloods() async throws {
            var config = try await RunningMessenger.makeConfig()
            config.gatewayIdentifyTimeout = 300
            config.gatewayHeartbeatInterval = 600
            config.gatewayFramesPerMinute = 10
            try await withMessenger(config: config) { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                // A forged token: 4004.
                var outcome = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    _ = try await socket.nextFrame()
                    try await socket.send(json: ["op": "identify", "d": ["token": "not.a.token"]])
                    while try await socket.nextFrame() != nil {}
                }
                #expect(outcome.closeCode == WebSocketErrorCode(codeNumber: 4004))
                // Never identified: 4003.
                outcome = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    while try await socket.nextFrame() != nil {}
                }
                #expect(outcome.closeCode == WebSocketErrorCode(codeNumber: 4003))
                // Identified, then silent for 1.5 heartbeat intervals: 4009.
                outcome = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    _ = try await socket.identify(alice.token)
                    while try await socket.nextFrame() != nil {}
                }
                #expect(outcome.closeCode == WebSocketErrorCode(codeNumber: 4009))
                // More than 10 frames in a minute: 4008.
                outcome = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    _ = try await socket.nextFrame()
                    for _ in 0..<11 { try await socket.send(json: ["op": "heartbeat", "d": NSNull()]) }
                    while try await socket.nextFrame() != nil {}
                }
                #expect(outcome.closeCode == WebSocketErrorCode(codeNumber: 4008))
            }
        }

        @Test func aLogoutClosesTheLiveConnectionWithinTheRevocationLag() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let started = ContinuousClock.now
                let outcome = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    _ = try await socket.identify(alice.token)
                    #expect(try await api.send(.POST, "/auth/logout/", token: alice.token).status == 200)
                    while try await socket.nextFrame() != nil {}
                }
                #expect(outcome.closeCode == WebSocketErrorCode(codeNumber: 4004))
                // The revocation poll runs every 2 s, the connection check every second.
                #expect(ContinuousClock.now - started < .seconds(10))
            }
        }

        @Test func clientOpsSendMessagesMoveReadMarkersAndAnnounceTyping() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let carol = try await api.signUp("carol")
                let chatID = try await api.startChat(as: alice.token, with: bob.id)
                _ = try await withHubConnection(url: messenger.gatewaySocketURL) { bobSocket in
                    _ = try await bobSocket.identify(bob.token)
                    _ = try await withHubConnection(url: messenger.gatewaySocketURL) { aliceSocket in
                        _ = try await aliceSocket.identify(alice.token)
                        // send_message, sent twice with one nonce: stored once, the nonce echoed to the
                        // sender's connection only.
                        let send: [String: Any] = [
                            "op": "send_message", "d": ["chat_id": chatID, "text": "over the socket", "nonce": "n-1"],
                        ]
                        try await aliceSocket.send(json: send)
                        try await aliceSocket.send(json: send)
                        let mine = try await aliceSocket.nextDispatch(ofType: "MESSAGE_CREATE")
                        #expect(mine.data["text"] as? String == "over the socket")
                        #expect(mine.data["nonce"] as? String == "n-1")
                        let theirs = try await bobSocket.nextDispatch(ofType: "MESSAGE_CREATE")
                        #expect(theirs.data["id"] as? Int == mine.data["id"] as? Int)
                        #expect(theirs.data["nonce"] == nil)
                        let page = try await api.send(.GET, "/private/\(chatID)/messages", token: bob.token)
                        #expect(page.array.map { $0["text"] as? String } == ["over the socket"])

                        // read: both members see the marker move.
                        try await bobSocket.send(json: [
                            "op": "read", "d": ["chat_id": chatID, "message_id": mine.data["id"] ?? 0],
                        ])
                        for socket in [bobSocket, aliceSocket] {
                            let read = try await socket.nextDispatch(ofType: "READ_STATE_UPDATE")
                            #expect(read.data["user_id"] as? Int == bob.id)
                            #expect(read.data["last_read_message_id"] as? Int == mine.data["id"] as? Int)
                        }

                        // typing: the other member hears it (without a sequence), the typist does not.
                        try await aliceSocket.send(json: ["op": "typing", "d": ["chat_id": chatID]])
                        let typing = try await bobSocket.nextDispatch(ofType: "TYPING_START")
                        #expect(typing.data["user_id"] as? Int == alice.id)
                        #expect(typing.data["chat_id"] as? Int == chatID)
                        #expect(typing.sequence == nil)

                        // Refusals come back as errors with the REST status; the connection stays.
                        try await aliceSocket.send(json: ["op": "send_message", "d": ["chat_id": chatID, "text": " "]])
                        let blank = try #require(try await aliceSocket.nextFrame())
                        #expect((blank.object["d"] as? [String: Any])?["code"] as? Int == 422)
                        try await aliceSocket.send(json: ["op": "heartbeat", "d": NSNull()])
                        #expect(try await aliceSocket.nextText() == GatewayFrameText.heartbeatAck)
                    }
                }
                // A non-member may not type, read or send in the chat.
                _ = try await withHubConnection(url: messenger.gatewaySocketURL) { socket in
                    _ = try await socket.identify(carol.token)
                    for frame: [String: Any] in [
                        ["op": "typing", "d": ["chat_id": chatID]],
                        ["op": "send_message", "d": ["chat_id": chatID, "text": "let me in"]],
                        ["op": "read", "d": ["chat_id": chatID, "message_id": 1]],
                    ] {
                        try await socket.send(json: frame)
                        let refused = try #require(try await socket.nextFrame())
                        #expect((refused.object["d"] as? [String: Any])?["code"] as? Int == 403, "\(frame)")
                    }
                }
            }
        }

        /// A group's life as its members' connections see it: each event reaches exactly the members of
        /// the moment, and a removed member hears of the removal and then nothing more of the group.
        @Test func groupEventsReachExactlyTheMembersOfTheMoment() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let carol = try await api.signUp("carol")
                let dave = try await api.signUp("dave")
                let url = messenger.gatewaySocketURL
                _ = try await withHubConnection(url: url) { aliceSocket in
                    _ = try await aliceSocket.identify(alice.token)
                    _ = try await withHubConnection(url: url) { bobSocket in
                        _ = try await bobSocket.identify(bob.token)
                        _ = try await withHubConnection(url: url) { daveSocket in
                            _ = try await daveSocket.identify(dave.token)
                            let created = try await api.send(
                                .POST,
                                "/private/groups/",
                                json: ["title": "Trip", "member_ids": [bob.id, carol.id]],
                                token: alice.token
                            )
                            let group = try #require(created.object["chat_id"] as? Int)
                            for socket in [aliceSocket, bobSocket] {
                                let chat = try await socket.nextDispatch(ofType: "CHAT_CREATE")
                                #expect(chat.data["id"] as? Int == group)
                                #expect(chat.data["title"] as? String == "Trip")
                            }
                            let added = try await api.send(
                                .PUT,
                                "/private/\(group)/members/\(dave.id)/",
                                token: alice.token
                            )
                            #expect(added.status == 200)
                            let joined = try await daveSocket.nextDispatch()
                            #expect(joined.type == "CHAT_MEMBER_ADD")
                            #expect((joined.data["member"] as? [String: Any])?["id"] as? Int == dave.id)
                            #expect(try await daveSocket.nextDispatch().type == "CHAT_CREATE")
                            #expect(try await daveSocket.nextDispatch().data["type"] as? String == "member_add")
                            let removed = try await api.send(
                                .DELETE,
                                "/private/\(group)/members/\(bob.id)/",
                                token: alice.token
                            )
                            #expect(removed.status == 200)
                            let renamed = try await api.send(
                                .PATCH,
                                "/private/\(group)/",
                                json: ["title": "Trip 2"],
                                token: alice.token
                            )
                            #expect(renamed.status == 200)
                            #expect(try await api.send(.DELETE, "/private/\(group)/", token: alice.token).status == 204)
                            for socket in [aliceSocket, daveSocket] {
                                let gone = try await socket.nextDispatch(ofType: "CHAT_MEMBER_REMOVE")
                                #expect(gone.data["user_id"] as? Int == bob.id)
                                let update = try await socket.nextDispatch(ofType: "CHAT_UPDATE")
                                #expect(update.data["title"] as? String == "Trip 2")
                                #expect(
                                    try await socket.nextDispatch(ofType: "CHAT_DELETE").data["id"] as? Int == group
                                )
                            }
                            // Bob: the removal, then nothing of the group before a message in a new chat.
                            let direct = try await api.startChat(as: alice.token, with: bob.id, text: "still friends?")
                            _ = try await bobSocket.nextDispatch(ofType: "CHAT_MEMBER_REMOVE")
                            while true {
                                let next = try await bobSocket.nextDispatch()
                                let chatID = next.data["chat_id"] as? Int ?? next.data["id"] as? Int
                                #expect(chatID != group, "bob got \(next.text)")
                                if next.type == "MESSAGE_CREATE" && chatID == direct { break }
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
            guard answer.status == 200 else { throw E2EFailure("add-message: \(answer.status) \(answer.text)") }
        }

        static func appendEvent(
            _ payload: String,
            for userID: Int,
            on connection: PostgresConnection,
            logger: Logger
        ) async throws {
            try await connection.append(
                [OutboxEvent(.userUpdate, to: [Int64(userID)], payload: payload)],
                logger: logger
            )
            // Delivered when the transaction commits, as a service's OutboxWaker would send it after.
            try await connection.query("SELECT pg_notify('events', 'appended')", logger: logger)
        }
    }
}
