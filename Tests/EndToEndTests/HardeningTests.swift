import Foundation
import Messenger
import NIOCore
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// The fixes of the outside security pass (issue 12), each asserted through the gateway as a client
    /// sees it.
    @Suite struct HardeningTests {
        /// Item 0: the multipart body that made multipart-kit trap is a 400, and every service answers after.
        @Test func aHostileMultipartUploadIs400AndTheProcessLivesOn() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let answer = try await api.send(
                    .POST,
                    "/users/upload-avatar/",
                    bytes: Array("--B\r\n".utf8) + [0xC3, 0xA9] + Array(": x\r\n\r\nx\r\n--B--\r\n".utf8),
                    headers: [
                        ("Authorization", "Bearer \(alice.token)"), ("Content-Type", "multipart/form-data; boundary=B"),
                    ]
                )
                #expect(answer.status == 400)
                #expect(answer.detail == "Malformed multipart body: a part header is malformed")
                #expect(try await api.send(.GET, "/health").status == 200)
                #expect(try await api.send(.GET, "/users/user/?username=alice", token: alice.token).status == 200)
            }
        }

        /// Item 1: NUL and other control characters are refused at the edge with 422 naming the field.
        @Test func controlCharactersAreRefusedWith422NamingTheField() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                for password in ["\u{0}abcdefgh", "abc\u{0}defghijk"] {
                    let answer = try await api.send(
                        .POST,
                        "/auth/register/",
                        json: ["username": "nul", "email": "nul@example.com", "password": password]
                    )
                    #expect(answer.status == 422)
                    #expect(answer.detail == "Field 'password' must not contain control characters")
                }
                for password in ["", "abc"] {
                    let login = try await api.send(
                        .POST,
                        "/auth/login/",
                        json: ["email": "nul@example.com", "password": password]
                    )
                    #expect(login.status == 401)
                }
                let email = try await api.send(
                    .POST,
                    "/auth/login/",
                    json: ["email": "a\u{0}@example.com", "password": "x"]
                )
                #expect(email.status == 422)
                #expect(email.detail == "Field 'email' must not contain control characters")
                let profile = try await api.send(
                    .POST,
                    "/auth/register/",
                    json: [
                        "username": "bob", "email": "bob@example.com", "password": "correct horse battery",
                        "description": "line one\nline two\u{1B}[31m",
                    ]
                )
                #expect(profile.status == 422)
                #expect(profile.detail == "Field 'description' must not contain control characters")

                let alice = try await api.signUp("alice")
                let search = try await api.send(.GET, "/users/user/?username=%00", token: alice.token)
                #expect(search.status == 422)
                #expect(search.detail == "Query parameter 'username' must not contain control characters")
                let bob = try await api.signUp("bob")
                let chatID = try await api.startChat(as: alice.token, with: bob.id)
                let message = try await api.send(
                    .POST,
                    "/private/add-message/\(chatID)/",
                    json: ["text": "hi\u{0}there"],
                    token: alice.token
                )
                #expect(message.status == 422)
                #expect(message.detail == "Field 'text' must not contain control characters")
                let multiline = try await api.send(
                    .POST,
                    "/private/add-message/\(chatID)/",
                    json: ["text": "tabs\tand\nnewlines stay"],
                    token: alice.token
                )
                #expect(multiline.status == 200)
                let russian = try await api.send(
                    .GET,
                    "/users/user/?username=a%01",
                    token: alice.token,
                    headers: [("Accept-Language", "ru")]
                )
                #expect(russian.detail == "Параметр 'username' не должен содержать управляющих символов")
            }
        }

        /// Item 4: answers carrying tokens are never stored by a cache.
        @Test func tokenAnswersAreNotCached() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                _ = try await api.register("alice")
                let login = try await api.send(
                    .POST,
                    "/auth/login/",
                    json: ["email": "alice@example.com", "password": "correct horse battery"]
                )
                let refresh = try await api.send(
                    .POST,
                    "/auth/refresh/",
                    json: ["refresh_token": login.object["refresh_token"] as? String ?? ""]
                )
                let token = try #require(login.object["token"] as? String)
                let ticket = try await api.send(.GET, "/auth/encrypt_user_data/", token: token)
                for (name, answer) in [("login", login), ("refresh", refresh), ("ticket", ticket)] {
                    #expect(answer.status == 200, "\(name)")
                    #expect(answer.headers["Cache-Control"].first == "no-store", "\(name)")
                    #expect(answer.headers["Pragma"].first == "no-cache", "\(name)")
                }
            }
        }

        /// Item 5: only the canonical unpadded base64url spelling of a token is accepted.
        @Test func tokensMustBeCanonical() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let parts = alice.token.split(separator: ".").map(String.init)
                let signature = parts[2]
                let standard =
                    signature.replacingOccurrences(of: "-", with: "+")
                    .replacingOccurrences(of: "_", with: "/") + "=="
                let lastIndex = signature.index(before: signature.endIndex)
                let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                let lastValue = try #require(alphabet.firstIndex(of: signature[lastIndex]))
                let looseBits = signature[..<lastIndex] + String(alphabet[lastValue | 1])
                for (name, token) in [
                    ("padded", alice.token + "=="), ("padded payload", parts[0] + "." + parts[1] + "=." + signature),
                    ("standard base64 signature", parts[0] + "." + parts[1] + "." + standard),
                    ("non-zero unused bits", parts[0] + "." + parts[1] + "." + looseBits),
                ] {
                    let answer = try await api.send(.GET, "/gateway/get-token/", token: "Bearer \(token)")
                    #expect(answer.status == 401, "\(name)")
                }
                #expect(try await api.send(.GET, "/gateway/get-token/", token: alice.token).status == 200)
            }
        }

        /// Item 8: one account per e-mail whatever its Unicode spelling; invisible characters refused.
        @Test func emailsAreNormalisedAndInvisibleCharactersRefused() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let composed = "jos\u{E9}@example.com"
                let decomposed = "jose\u{301}@example.com"
                #expect(try await api.register("jose", email: composed).status == 200)
                let again = try await api.register("jose2", email: decomposed)
                #expect(again.status == 409)
                let login = try await api.send(
                    .POST,
                    "/auth/login/",
                    json: ["email": decomposed, "password": "correct horse battery"]
                )
                #expect(login.status == 200)
                for email in ["al\u{200B}ice@example.com", "\u{202E}alice@example.com", "alice@exa\u{2066}mple.com"] {
                    let answer = try await api.register("alice", email: email)
                    #expect(answer.status == 422, "\(email.unicodeScalars.map(\.value))")
                }
            }
        }

        /// Item 9: a known path asked with another method is 405 with `Allow`, not 404.
        @Test func knownPathsWithAnotherMethodAre405WithAllow() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                for (method, path, allow) in [
                    (.GET, "/auth/register/", "POST"), (.DELETE, "/auth/login", "POST"),
                    (.POST, "/gateway/get-token/", "GET"), (.POST, "/health", "GET"),
                    // `/private/{chat_id}/` (a group's PATCH and DELETE) matches `chat-list` too.
                    (.PUT, "/private/chat-list/", "DELETE, GET, PATCH"), (.DELETE, "/private/7/messages", "GET"),
                    (.GET, "/private/add-message/7/", "POST"), (.PATCH, "/auth/qr_auth/", "GET, POST"),
                    (.POST, "/login", "GET"),
                ] as [(HTTPMethod, String, String)] {
                    let answer = try await api.send(method, path, token: alice.token)
                    #expect(answer.status == 405, "\(method) \(path)")
                    #expect(answer.headers["Allow"].first == allow, "\(method) \(path)")
                    #expect(answer.detail?.hasPrefix("Method \(method.rawValue) is not allowed here") == true)
                }
                #expect(try await api.send(.GET, "/no/such/path", token: alice.token).status == 404)
                #expect(try await api.send(.GET, "/private/999/info/", token: alice.token).status == 404)
            }
        }

        /// Item 10: the web pages forbid referrers and allow connections and images from their own origin only.
        @Test func webPagesCarryStrictHeaders() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let page = try await api.send(.GET, "/login")
                let policy = try #require(page.headers["Content-Security-Policy"].first)
                let host = "127.0.0.1:\(messenger.config.port)"
                #expect(policy.contains("connect-src 'self' ws://\(host) wss://\(host);"))
                #expect(policy.contains("img-src 'self' data:;"))
                #expect(!policy.contains("https:") && !policy.contains("ws: ") && !policy.contains("wss: "))
                #expect(page.headers["Referrer-Policy"].first == "no-referrer")
                let forged = try await api.send(.GET, "/qr-login", headers: [("Host", "evil.example; script-src *")])
                let forgedPolicy = try #require(forged.headers["Content-Security-Policy"].first)
                #expect(forgedPolicy.contains("connect-src 'self';"))
                #expect(!forgedPolicy.contains("evil"))
            }
        }

        /// Item 2: idle, slow-header, stalled-body and malformed clients are cut off, on the gateway and
        /// on an internal service alike.
        @Test func slowIdleAndMalformedClientsAreCutOff() async throws {
            let shortDeadlines: (inout MessengerConfig) -> Void = {
                $0.httpTimeouts = HTTPTimeouts(header: .seconds(1), body: .seconds(2), idle: .seconds(2))
            }
            try await withMessenger(configure: shortDeadlines) { messenger in
                for port in [messenger.config.port, messenger.config.usersPort] {
                    let idle = try await RawConnection.exchange(port: port, chunks: [], wait: 6)
                    #expect(idle.closedByServer && idle.seconds < 3, "idle \(port): \(idle.seconds)")

                    let lines = ["GET /health HTTP/1.1\r\n"] + (0..<20).map { "X-Slow-\($0): y\r\n" }
                    let slowloris = try await RawConnection.exchange(
                        port: port,
                        chunks: lines,
                        pause: .milliseconds(300),
                        wait: 8
                    )
                    #expect(
                        slowloris.closedByServer && slowloris.seconds < 3,
                        "slowloris \(port): \(slowloris.seconds)"
                    )
                    #expect(slowloris.received.isEmpty)

                    let stalled = try await RawConnection.exchange(
                        port: port,
                        chunks: [
                            "POST /auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n" + "{"
                                + String(repeating: " ", count: 1023)
                        ],
                        wait: 8
                    )
                    #expect(stalled.closedByServer && stalled.seconds < 4, "stalled body \(port): \(stalled.seconds)")

                    let trickle = try await RawConnection.exchange(
                        port: port,
                        chunks: ["POST /auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"]
                            + Array(repeating: " ", count: 60),
                        pause: .milliseconds(100),
                        wait: 8
                    )
                    #expect(trickle.closedByServer && trickle.seconds < 4, "trickled body \(port): \(trickle.seconds)")

                    for malformed in [
                        "GET /health HTTP/1.1\r\nHost: x\r\nX-User-ID : 7\r\n\r\n",
                        "POST /auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "GARBAGE\r\n\r\n",
                    ] {
                        let answer = try await RawConnection.exchange(port: port, chunks: [malformed], wait: 5)
                        #expect(answer.closedByServer && answer.seconds < 2, "\(port) \(malformed.prefix(30))")
                        #expect(answer.received.hasPrefix("HTTP/1.1 400"), "\(port) \(malformed.prefix(30))")
                        #expect(answer.received.hasSuffix(#"{"detail":"Malformed HTTP request"}"#))
                    }
                }
                #expect(try await messenger.gateway.send(.GET, "/health").status == 200)
            }
        }
    }
}
