import Auth
import Foundation
import Messenger
import NIOHTTP1
import NIOWebSocket
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// QR-code login through the gateway with real WebSocket clients: the browser and the phone.
    @Suite(.timeLimit(.minutes(2))) struct QRLoginTests {
        /// The phone's ticket for `clientID`, fetched with the phone's token.
        static func ticket(_ api: TestHTTP, token: String, clientID: String? = nil) async throws -> String {
            let query = clientID.map { "?client_id=\($0)" } ?? ""
            let answer = try await api.send(.GET, "/auth/encrypt_user_data/\(query)", token: token)
            guard answer.status == 200, let ticket = answer.object["encrypted_user_payload"] as? String else {
                throw E2EFailure("ticket: \(answer.status) \(answer.text)")
            }
            #expect(answer.object["token"] as? String == ticket)
            return ticket
        }

        /// Runs the browser and the phone in one hub; returns what each received after its hello and
        /// their close codes.
        static func login(
            _ messenger: RunningMessenger,
            clientID: String,
            ticket: String
        ) async throws -> (browser: [String: Any], phone: [String: Any], codes: [WebSocketErrorCode?]) {
            try await login(hubURL: messenger.hubURL(clientID: clientID), ticket: ticket)
        }

        /// Runs the browser and the phone in the hub at `url`; see ``login(_:clientID:ticket:)``.
        static func login(
            hubURL url: String,
            ticket: String
        ) async throws -> (browser: [String: Any], phone: [String: Any], codes: [WebSocketErrorCode?]) {
            let browserReady = AsyncStream<Void>.makeStream()
            async let browser = {
                // However the browser's side ends, the phone must not wait for it forever.
                defer { browserReady.continuation.finish() }
                return try await withHubConnection(url: url) { hub -> String in
                    let hello = try await hub.next()
                    browserReady.continuation.finish()
                    guard hello?["op"] as? String == "hello", let granted = try await hub.next() else { return "" }
                    return String(decoding: try JSONSerialization.data(withJSONObject: granted), as: UTF8.self)
                }
            }()
            for await _ in browserReady.stream {}
            let phone = try await withHubConnection(url: url) { hub -> String in
                _ = try await hub.next()
                try await hub.send(["op": "pending_ticket", "encrypted_user_payload": ticket])
                guard let granted = try await hub.next() else { return "" }
                return String(decoding: try JSONSerialization.data(withJSONObject: granted), as: UTF8.self)
            }
            let browserResult = try await browser
            func object(_ text: String) -> [String: Any] {
                (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            }
            return (
                object(browserResult.result), object(phone.result), [browserResult.closeCode, phone.closeCode]
            )
        }

        /// The hub's clients are handed to Auth in memory when it runs in the gateway's process, and
        /// relayed over a WebSocket connection otherwise: the tests marked with these arguments run both.
        static let hubPaths: [HubPath] = [.inProcess, .relayed]

        enum HubPath: CustomTestStringConvertible {
            case inProcess
            case relayed

            var testDescription: String { self == .inProcess ? "in process" : "relayed" }

            func configure(_ config: inout MessengerConfig) {
                config.inProcessCalls = self == .inProcess
            }
        }

        @Test(arguments: hubPaths) func browserAndPhoneCompleteTheLogin(_ path: HubPath) async throws {
            try await withMessenger(configure: path.configure) { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let clientID = makeClientID()
                let ticket = try await Self.ticket(api, token: alice.token, clientID: clientID)
                let outcome = try await Self.login(messenger, clientID: clientID, ticket: ticket)
                #expect(outcome.browser["op"] as? String == "access granted")
                #expect(outcome.phone["op"] as? String == "access granted")
                let user = outcome.browser["user"] as? [String: Any]
                #expect(user?["username"] as? String == "alice")
                #expect(user?["id"] as? Int == alice.id)
                #expect(outcome.codes == [.normalClosure, .normalClosure])
                let authToken = try #require(outcome.browser["auth_token"] as? String)

                let exchanged = try await api.send(.GET, "/auth/qr_auth/?client_id=\(clientID)", token: authToken)
                #expect(exchanged.status == 200)
                #expect(exchanged.object["type"] as? String == "Bearer")
                let token = try #require(exchanged.object["token"] as? String)
                #expect(try await api.send(.GET, "/private/chat-list/", token: token).status == 200)

                let replay = try await api.send(.GET, "/auth/qr_auth/?client_id=\(clientID)", token: authToken)
                #expect(replay.status == 401)
            }
        }

        @Test func exchangeNeedsTheRightClientID() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let clientID = makeClientID()
                let ticket = try await Self.ticket(api, token: alice.token)
                let outcome = try await Self.login(messenger, clientID: clientID, ticket: ticket)
                let authToken = try #require(outcome.browser["auth_token"] as? String)
                let wrong = try await api.send(.POST, "/auth/qr_auth/?client_id=\(makeClientID())", token: authToken)
                #expect(wrong.status == 401)
                let tampered = try await api.send(.POST, "/auth/qr_auth/?client_id=\(clientID)", token: authToken + "x")
                #expect(tampered.status == 401)
                let missing = try await api.send(.POST, "/auth/qr_auth/?client_id=\(clientID)")
                #expect(missing.status == 401)
                let right = try await api.send(
                    .POST,
                    "/auth/qr_auth?client_id=\(clientID)",
                    token: "Bearer \(authToken)"
                )
                #expect(right.status == 200)
            }
        }

        @Test(arguments: hubPaths) func thirdClientIsTurnedAway(_ path: HubPath) async throws {
            try await withMessenger(configure: path.configure) { messenger in
                let url = messenger.hubURL(clientID: makeClientID())
                let first = try await withHeldHubConnection(url: url) {
                    try await withHeldHubConnection(url: url) {
                        try await withHubConnection(url: url) { hub in try await hub.nextOp() }
                    }
                }
                let (second, third) = (first.result, first.result.result)
                #expect(third.result == "clients already in hub")
                #expect(third.closeCode == .normalClosure)
                #expect([first.firstOp, second.firstOp] == ["hello", "hello"])
            }
        }

        @Test(arguments: hubPaths) func malformedClientIDIsRefusedAsTheSeedDoes(_ path: HubPath) async throws {
            try await withMessenger(configure: path.configure) { messenger in
                for clientID in ["short", String(repeating: "a", count: 129), "has%20space-and-more-chars"] {
                    let answer = try await withHubConnection(url: messenger.hubURL(clientID: clientID)) { hub in
                        try await hub.nextOp()
                    }
                    #expect(answer.result == "hub is full", "\(clientID)")
                    #expect(answer.closeCode == .normalClosure, "\(clientID)")
                }
            }
        }

        @Test(arguments: hubPaths) func heartbeatIsAcknowledgedAndUnknownOpsDoNotClose(_ path: HubPath) async throws {
            try await withMessenger(configure: path.configure) { messenger in
                let answer = try await withHubConnection(url: messenger.hubURL(clientID: makeClientID())) { hub in
                    let hello = try await hub.next()
                    try await hub.send(["op": "heartbeat"])
                    let ack = try await hub.nextOp()
                    try await hub.send(["op": "dance"])
                    let unknown = try await hub.next()
                    try await hub.send(text: "not json")
                    let garbage = try await hub.nextOp()
                    try await hub.send(["op": "heartbeat"])
                    let stillOpen = try await hub.nextOp()
                    try await hub.close()
                    return [
                        hello?["op"] as? String, (hello?["timeout_ms"] as? Int).map(String.init), ack,
                        unknown?["op"] as? String, garbage, stillOpen,
                    ]
                }
                #expect(answer.result == ["hello", "120000", "heartbeat_ack", "error", "error", "heartbeat_ack"])
            }
        }

        @Test func badTicketsAreRefusedAndTheHubStaysOpen() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let used = try await Self.ticket(api, token: alice.token)
                _ = try await Self.login(messenger, clientID: makeClientID(), ticket: used)
                let boundElsewhere = try await Self.ticket(api, token: alice.token, clientID: makeClientID())
                let sealer = try QRTicketSealer(base64Key: try #require(messenger.config.qrTicketKey))
                let expired = try sealer.seal(
                    userID: Int64(alice.id),
                    clientID: nil,
                    now: Date().addingTimeInterval(-121)
                ).token
                let foreign = try QRTicketSealer(base64Key: Data(repeating: 7, count: 32).base64EncodedString())
                    .seal(userID: Int64(alice.id), clientID: nil).token
                let fresh = try await Self.ticket(api, token: alice.token)

                let answer = try await withHubConnection(url: messenger.hubURL(clientID: makeClientID())) { hub in
                    _ = try await hub.next()
                    var details: [String] = []
                    for ticket in [used, boundElsewhere, expired, foreign, "garbage"] {
                        try await hub.send(["op": "pending_ticket", "encrypted_user_payload": ticket])
                        details.append(try await hub.next()?["detail"] as? String ?? "")
                    }
                    try await hub.send(["op": "pending_ticket", "encrypted_user_payload": fresh])
                    details.append(try await hub.nextOp() ?? "")
                    return details
                }
                #expect(
                    answer.result == [
                        "Ticket was already used", "Ticket was issued for another client_id", "Ticket has expired",
                        "Ticket is invalid", "Ticket is invalid", "access granted",
                    ]
                )
            }
        }

        @Test func ticketNeedsALoggedInPhone() async throws {
            try await withMessenger { messenger in
                let answer = try await messenger.gateway.send(.GET, "/auth/encrypt_user_data/")
                #expect(answer.status == 401)
                let alice = try await messenger.gateway.signUp("alice")
                let bad = try await messenger.gateway.send(
                    .GET,
                    "/auth/encrypt_user_data/?client_id=x",
                    token: alice.token
                )
                #expect(bad.status == 422)
            }
        }

        @Test func idleHubsExpireAndSilentClientsAreDropped() async throws {
            let shortLifetime: (inout MessengerConfig) -> Void = { $0.qrHubLifetime = 2 }
            try await withMessenger(configure: shortLifetime) { messenger in
                let expired = try await withHubConnection(url: messenger.hubURL(clientID: makeClientID())) { hub in
                    let hello = try await hub.next()
                    var ops: [String] = []
                    while let op = try await hub.nextOp() {
                        ops.append(op)
                        try? await hub.send(["op": "heartbeat"])
                    }
                    return [(hello?["timeout_ms"] as? Int) == 2000 ? "hello" : "bad hello"]
                        + ops.filter { $0 != "heartbeat_ack" }
                }
                #expect(expired.result == ["hello", "hub expired"])
                #expect(expired.closeCode == .normalClosure)
            }

            let shortHeartbeat: (inout MessengerConfig) -> Void = { $0.qrHeartbeatInterval = 1 }
            try await withMessenger(configure: shortHeartbeat) { quiet in
                let silent = try await withHubConnection(url: quiet.hubURL(clientID: makeClientID())) { hub in
                    _ = try await hub.next()
                    return try await hub.nextOp()
                }
                #expect(silent.result == "heartbeat timeout")
                #expect(silent.closeCode == .normalClosure)
            }
        }

        @Test(arguments: hubPaths) func hubsPerAddressAreLimited(_ path: HubPath) async throws {
            let oneHub: (inout MessengerConfig) -> Void = {
                $0.qrHubsPerAddress = 1
                path.configure(&$0)
            }
            try await withMessenger(configure: oneHub) { messenger in
                let first = try await withHeldHubConnection(url: messenger.hubURL(clientID: makeClientID())) {
                    try await withHubConnection(url: messenger.hubURL(clientID: makeClientID())) { hub in
                        try await hub.next()?["detail"] as? String
                    }
                }
                let second = first.result
                #expect(first.firstOp == "hello")
                #expect(second.result == "Too many open hubs from this address")
                #expect(second.closeCode == .normalClosure)
            }
        }

        @Test func twoHundredHubsCompleteAtOnce() async throws {
            // All clients share 127.0.0.1, so the per-address hub limit is raised for this test.
            let manyHubs: (inout MessengerConfig) -> Void = { $0.qrHubsPerAddress = 1000 }
            try await withMessenger(configure: manyHubs) { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let tickets = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<200 { group.addTask { try await Self.ticket(api, token: alice.token) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for ticket in tickets {
                        group.addTask {
                            let outcome = try await Self.login(messenger, clientID: makeClientID(), ticket: ticket)
                            return outcome.browser["op"] as? String == "access granted"
                                && outcome.phone["op"] as? String == "access granted"
                        }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(granted == 200)
            }
        }

        @Test func qrImagesEncodeTheLoginLink() async throws {
            try await withMessenger { messenger in
                let clientID = makeClientID()
                let expected = messenger.config.resolvedQRLoginURL.replacingOccurrences(
                    of: "{client_id}",
                    with: clientID
                )
                let svg = try await messenger.gateway.send(.GET, "/auth/qr_auth/qr.svg?client_id=\(clientID)")
                #expect(svg.status == 200)
                #expect(svg.headers.first(name: "Content-Type") == "image/svg+xml")
                #expect(svg.text.hasPrefix("<svg"))
                let png = try await messenger.gateway.send(.GET, "/auth/qr_auth/qr.png?client_id=\(clientID)")
                #expect(png.status == 200)
                #expect(png.headers.first(name: "Content-Type") == "image/png")
                let file = NSTemporaryDirectory() + "qr-\(clientID).png"
                try png.body.write(to: URL(fileURLWithPath: file))
                defer { try? FileManager.default.removeItem(atPath: file) }
                let decoded = try await ProcessRunner.run("/usr/bin/zbarimg", ["--quiet", "--raw", file])
                #expect(decoded.status == 0)
                // zbarimg may add a D-Bus warning on stderr (merged here); the decoded text is a line of its own.
                let lines = decoded.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(lines.contains(expected), "\(decoded.output)")
                let bad = try await messenger.gateway.send(.GET, "/auth/qr_auth/qr.svg?client_id=nope")
                #expect(bad.status == 422)
            }
        }

        @Test func hubRefusesConnectionsThatBypassTheGateway() async throws {
            try await withMessenger { messenger in
                let url = "ws://127.0.0.1:\(messenger.config.authPort)/auth_events/qr_auth/?client_id=\(makeClientID())"
                // Without the internal token Auth's middleware refuses the request, so the upgrade fails, and
                // Hummingbird answers a failed upgrade with an empty 400.
                await #expect(throws: TestWebSocketError.handshakeRefused("HTTP/1.1 400 Bad Request")) {
                    _ = try await withHubConnection(url: url) { hub in try await hub.nextOp() }
                }
                // The token is all that was missing: with it, the same handshake opens the hub.
                let token = try #require(messenger.config.internalToken)
                let admitted = try await withHubConnection(url: url, headers: [("X-Internal-Token", token)]) { hub in
                    try await hub.nextOp()
                }
                #expect(admitted.result == "hello")
            }
        }
    }
}
