import Auth
import Foundation
import Messenger
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// The production shape: Debian's nginx with `nginx/nginx.conf` in front of two gateways, and two
    /// `messenger` processes for each service.
    @Suite(.timeLimit(.minutes(3))) struct ClusterTests {
        @Test func seedFlowQRLoginAndLimitsThroughNginx() async throws {
            try await withCluster { cluster in
                let api = cluster.api
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let chatID = try await api.startChat(as: alice.token, with: bob.id, text: "Hi Bob")
                for index in 0..<10 {
                    let added = try await api.send(
                        .POST,
                        "/private/add-message/\(chatID)/",
                        json: ["text": "message \(index)"],
                        token: bob.token
                    )
                    #expect(added.status == 200)
                }
                let page = try await api.send(.GET, "/private/\(chatID)/messages?limit=50", token: alice.token)
                #expect(page.array.count == 11)
                #expect(page.headers.first(name: "X-Request-Id")?.isEmpty == false)
                let traced = try await api.send(.GET, "/health", headers: [("X-Request-Id", "trace-me-123")])
                #expect(traced.headers.first(name: "X-Request-Id") == "trace-me-123")

                // A QR login whose browser and phone both come through nginx: they meet in one hub, so
                // they reached the same Auth instance.
                let clientID = makeClientID()
                let ticket = try await QRLoginTests.ticket(api, token: alice.token, clientID: clientID)
                let outcome = try await QRLoginTests.login(hubURL: cluster.hubURL(clientID: clientID), ticket: ticket)
                #expect(outcome.browser["op"] as? String == "access granted")
                #expect(outcome.phone["op"] as? String == "access granted")
                let authToken = try #require(outcome.browser["auth_token"] as? String)
                let exchanged = try await api.send(.GET, "/auth/qr_auth/?client_id=\(clientID)", token: authToken)
                #expect(exchanged.status == 200)

                // Bodies over 10 MB stop at nginx with the API's error shape.
                // (curl, which reads nginx's early answer while the body is still going out.)
                let big = try await CurlHTTPClient().send(
                    OutboundRequest(
                        method: "POST",
                        url: api.baseURL + "/auth/register/",
                        headers: [("Content-Type", "application/json")],
                        body: [UInt8](repeating: 0x78, count: 10 * 1024 * 1024 + 1)
                    )
                )
                #expect(big.status == 413)
                #expect(big.text == #"{"detail":"Request body is too large"}"#)

                // Internal routes and internal ports cannot be reached through nginx.
                for path in [
                    "/internal/keys", "/internal/sessions/revoked", "/auth/../internal/keys", "/%2e%2e/internal/keys",
                ] {
                    let answer = try await api.send(.GET, path)
                    #expect([400, 404].contains(answer.status), "\(path)")
                    #expect(!answer.text.contains("\"kty\""), "\(path)")
                }
                let auth = try #require(cluster.instances.first { $0.name == "auth-1" })
                let hostTrick = try await api.send(
                    .GET,
                    "/internal/keys",
                    headers: [("Host", "127.0.0.1:\(auth.port)")]
                )
                #expect(hostTrick.status == 404)

                // Both gateways served requests.
                let log =
                    (try? String(contentsOfFile: cluster.directory + "/nginx/logs/access.log", encoding: .utf8)) ?? ""
                for gateway in cluster.instances where gateway.service == .gateway {
                    #expect(log.contains("127.0.0.1:\(gateway.port)"), "\(gateway.name)")
                }
                #expect(log.contains(#""request_id":"trace-me-123""#))
            }
        }

        @Test func thePhoneReachesTheAuthInstanceHoldingTheHubThroughEitherGateway() async throws {
            try await withCluster { cluster in
                let api = cluster.api
                let alice = try await api.signUp("alice")
                let clientID = makeClientID()
                let hubURL = QRLoginBindingTests.bound(
                    cluster.hubURL(clientID: clientID),
                    verifier: PKCE.makeVerifier()
                )
                let browser = try await withHeldHubConnection(url: hubURL, userAgent: "Firefox/128.0 (Windows NT 10.0)")
                {
                    // Two gateways and two Auth instances: round-robin would miss the hub about half the time.
                    var devices: [String?] = []
                    for _ in 0..<6 {
                        let info = try await api.send(
                            .GET,
                            "/auth/qr_auth/hub/?client_id=\(clientID)",
                            token: alice.token
                        )
                        devices.append(info.status == 200 ? info.object["device"] as? String : "\(info.status)")
                    }
                    return devices
                }
                let devices = browser.result
                #expect(browser.firstOp == "hello")
                #expect(devices == Array(repeating: "Firefox on Windows", count: 6))
            }
        }

        /// Membership is checked by the statement that serves each request, on whichever instance: a member
        /// removed through one PrivateChat instance is refused at once by the other, which served them a
        /// moment before.
        @Test func aRemovedGroupMemberIsRefusedAtOnceByEveryChatInstance() async throws {
            try await withCluster { cluster in
                let api = cluster.api
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let carol = try await api.signUp("carol")
                let created = try await api.send(
                    .POST,
                    "/private/groups/",
                    json: ["title": "Team", "member_ids": [bob.id, carol.id]],
                    token: "Bearer \(alice.token)"
                )
                let groupID = try #require(created.object["chat_id"] as? Int)
                let instances = cluster.instances.filter { $0.service == .chat }
                #expect(instances.count == 2)
                func asUser(_ id: Int) -> [(String, String)] {
                    [("X-Internal-Token", cluster.internalToken), ("X-User-Id", String(id)), ("X-Session-Id", "s")]
                }
                for instance in instances {
                    let page = try await TestHTTP(baseURL: instance.url)
                        .send(.GET, "/private/\(groupID)/messages", headers: asUser(bob.id))
                    #expect(page.status == 200, "\(instance.name)")
                }
                let removed = try await TestHTTP(baseURL: instances[0].url)
                    .send(.DELETE, "/private/\(groupID)/members/\(bob.id)/", headers: asUser(alice.id))
                #expect(removed.status == 200)
                for instance in instances.reversed() {
                    let http = TestHTTP(baseURL: instance.url)
                    let page = try await http.send(.GET, "/private/\(groupID)/messages", headers: asUser(bob.id))
                    #expect(page.status == 403, "\(instance.name)")
                    let post = try await http.send(
                        .POST,
                        "/private/add-message/\(groupID)/",
                        json: ["text": "still here?"],
                        headers: asUser(bob.id)
                    )
                    #expect(post.status == 403, "\(instance.name)")
                }
                // Carol, still a member, is served by both.
                for instance in instances {
                    let page = try await TestHTTP(baseURL: instance.url)
                        .send(.GET, "/private/\(groupID)/messages", headers: asUser(carol.id))
                    #expect(page.status == 200, "\(instance.name)")
                }
            }
        }

        @Test func rapidLoginsAreRateLimitedWithAJSONAnswer() async throws {
            try await withCluster { cluster in
                let api = cluster.api
                #expect(try await api.register("carol").status == 200)
                let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                    for _ in 0..<100 {
                        group.addTask {
                            let answer = try await api.send(
                                .POST,
                                "/auth/login/",
                                json: ["email": "carol@example.com", "password": "wrong password"]
                            )
                            return (answer.status, answer.detail)
                        }
                    }
                    var all: [(Int, String?)] = []
                    for try await result in group { all.append(result) }
                    return all
                }
                let limited = statuses.filter { $0.0 == 429 }
                #expect(!limited.isEmpty)
                #expect(limited.allSatisfy { $0.1 == "Too many requests, slow down" })
                #expect(statuses.allSatisfy { [401, 429].contains($0.0) })
            }
        }

        @Test func killingOneInstanceOfEachServiceLosesNoAcknowledgedMessage() async throws {
            try await withCluster { cluster in
                let api = cluster.api
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let chatID = try await api.startChat(as: alice.token, with: bob.id)

                // Four writers and readers, at most 60 s; one instance of every service is killed (SIGKILL)
                // once 60 requests were answered. Each worker sends at least 60 requests and goes on until
                // 2 s after the kills, so there are late requests however fast the machine is.
                let log = LoadRecorder()
                let deadline = ContinuousClock.now + .seconds(60)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<4 {
                        group.addTask {
                            var index = 0
                            while ContinuousClock.now < deadline {
                                if index >= 60, let killed = await log.killedAt,
                                    ContinuousClock.now > killed + .seconds(2)
                                {
                                    break
                                }
                                defer { index += 1 }
                                let sentAt = ContinuousClock.now
                                if index % 2 == 0 {
                                    let text = "w\(worker)-\(index)"
                                    let answer = try? await api.send(
                                        .POST,
                                        "/private/add-message/\(chatID)/",
                                        json: ["text": text],
                                        token: worker % 2 == 0 ? alice.token : bob.token
                                    )
                                    let id = answer?.object["id"] as? Int
                                    await log.record(
                                        sentAt: sentAt,
                                        ok: answer?.status == 200,
                                        acknowledged: id.map { ($0, text) }
                                    )
                                } else {
                                    let answer = try? await api.send(
                                        .GET,
                                        "/users/user/?username=bob",
                                        token: alice.token
                                    )
                                    await log.record(sentAt: sentAt, ok: answer?.status == 200, acknowledged: nil)
                                }
                                try await Task.sleep(for: .milliseconds(20))
                            }
                        }
                    }
                    group.addTask {
                        while await log.log.sent < 60 { try await Task.sleep(for: .milliseconds(10)) }
                        for name in ["auth-1", "users-1", "chat-1", "gateway-1"] {
                            try await cluster.kill(name)
                        }
                        await log.markKilled()
                    }
                    try await group.waitForAll()
                }
                let outcome = await log.log
                let killed = try #require(await log.killedAt)
                // Everything sent a second after the kills succeeded through the surviving instances.
                let late = outcome.results.filter { $0.sentAt > killed + .seconds(1) }
                #expect(late.count >= 40)
                let lateFailures = late.filter { !$0.ok }.count
                #expect(lateFailures == 0)
                // At least 240 requests, and at most 10 of them failed: the ones caught by the kills.
                #expect(outcome.results.count >= 240)
                #expect(
                    outcome.results.filter { !$0.ok }.count <= 10,
                    "\(outcome.results.filter { !$0.ok }.count) failures"
                )

                // No acknowledged message is lost, and none is stored twice.
                var stored: [Int: String] = [:]
                var offset = 0
                while true {
                    let page = try await api.send(
                        .GET,
                        "/private/\(chatID)/messages?limit=100&offset=\(offset)",
                        token: bob.token
                    )
                    #expect(page.status == 200)
                    for message in page.array {
                        if let id = message["id"] as? Int, let text = message["text"] as? String { stored[id] = text }
                    }
                    if page.array.count < 100 { break }
                    offset += 100
                }
                for (id, text) in outcome.acknowledged {
                    #expect(stored[id] == text, "message \(id) \(text)")
                }
                #expect(Set(stored.values).count == stored.count)
                // Logins still work: Auth's other instance signs the tokens the other gateway verifies.
                let token = try await api.login("alice")
                #expect(!token.isEmpty)
            }
        }
    }
}

/// Collects what the load loop's workers saw.
actor LoadRecorder {
    private(set) var log = LoadLog()
    private(set) var killedAt: ContinuousClock.Instant?

    func record(sentAt: ContinuousClock.Instant, ok: Bool, acknowledged: (Int, String)?) {
        log.record(sentAt: sentAt, ok: ok, acknowledged: acknowledged)
    }

    func markKilled() {
        killedAt = ContinuousClock.now
    }
}

/// What a load loop saw.
struct LoadLog: Sendable {
    struct Result: Sendable {
        var sentAt: ContinuousClock.Instant
        var ok: Bool
    }

    var results: [Result] = []
    var acknowledged: [(Int, String)] = []
    var sent: Int { results.count }

    mutating func record(sentAt: ContinuousClock.Instant, ok: Bool, acknowledged message: (Int, String)?) {
        results.append(Result(sentAt: sentAt, ok: ok))
        if let message { acknowledged.append(message) }
    }
}
