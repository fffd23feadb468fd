import Crypto
import Foundation
import JWTKit
import Messenger
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// The gateway's token checks and trust boundary, through real services.
    @Suite struct GatewaySecurityTests {
        /// A token signed with `seed` under `kid`, for `userID`, expiring at `expiresAt`.
        static func token(seed: String, kid: String, userID: Int64, expiresAt: Date) async throws -> String {
            let key = try SigningKey(base64Seed: seed)
            let keys = JWTKeyCollection()
            await keys.add(eddsa: EdDSA.PrivateKey(backing: key.privateKey), kid: JWKIdentifier(string: kid))
            let claims = AccessTokenClaims(
                userID: userID,
                sessionID: UUID().uuidString,
                issuedAt: expiresAt.addingTimeInterval(-60),
                expiresAt: expiresAt
            )
            return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
        }

        static func base64URL(_ json: String) -> String {
            Base64URL.encode(Data(json.utf8))
        }

        @Test func badTokensAreRefusedWith401() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let seed = try #require(messenger.config.jwtPrivateKey)
                let kid = try SigningKey(base64Seed: seed).keyID
                let otherSeed = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }

                let expired = try await Self.token(
                    seed: seed,
                    kid: kid,
                    userID: Int64(alice.id),
                    expiresAt: Date().addingTimeInterval(-5)
                )
                let forged = try await Self.token(
                    seed: otherSeed,
                    kid: kid,
                    userID: Int64(alice.id),
                    expiresAt: Date().addingTimeInterval(600)
                )
                let payload = Self.base64URL(
                    #"{"sub":"\#(alice.id)","sid":"x","exp":\#(Int(Date().timeIntervalSince1970) + 600),"iat":0}"#
                )
                let algNone = Self.base64URL(#"{"alg":"none","kid":"\#(kid)"}"#) + "." + payload + "."
                let algNoneSigned = Self.base64URL(#"{"alg":"none","kid":"\#(kid)"}"#) + "." + payload + ".c2ln"
                let hmac = Self.base64URL(#"{"alg":"HS256","kid":"\#(kid)"}"#) + "." + payload + ".c2ln"
                let parts = alice.token.split(separator: ".")
                let tampered = parts[0] + "." + payload + "." + parts[2]

                for (name, header) in [
                    ("missing", nil), ("empty bearer", "Bearer "), ("malformed", "Bearer not-a-jwt"),
                    ("expired", expired),
                    ("forged", "Bearer \(forged)"), ("alg none", algNone), ("alg none with signature", algNoneSigned),
                    ("HS256", hmac), ("tampered payload", String(tampered)),
                ] as [(String, String?)] {
                    let answer = try await api.send(.GET, "/private/chat-list/", token: header)
                    #expect(answer.status == 401, "\(name)")
                    #expect(answer.detail != nil, "\(name)")
                    let check = try await api.send(.GET, "/gateway/get-token/", token: header)
                    #expect(check.status == 401, "\(name)")
                }
                #expect(try await api.send(.GET, "/private/chat-list/", token: alice.token).status == 200)
                #expect(try await api.send(.GET, "/private/chat-list/", token: "Bearer \(alice.token)").status == 200)
                #expect(try await api.send(.GET, "/private/chat-list/", token: "bearer \(alice.token)").status == 200)
            }
        }

        @Test func getTokenAnswersTheIdentityInHeaders() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let answer = try await api.send(.GET, "/gateway/get-token/", token: alice.token)
                #expect(answer.status == 200)
                #expect(answer.headers.first(name: "X-User-Id") == String(alice.id))
                #expect(answer.headers.first(name: "X-Session-Id")?.isEmpty == false)
                #expect(answer.object["user_id"] as? Int == alice.id)
                #expect(try await api.send(.GET, "/gateway/get-token", token: alice.token).status == 200)
            }
        }

        @Test func clientSuppliedIdentityHeadersAreIgnored() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let bob = try await api.signUp("bob")
                let carol = try await api.signUp("carol")
                _ = try await api.startChat(as: bob.token, with: carol.id)
                let spoofed = try await api.send(
                    .GET,
                    "/private/chat-list/",
                    headers: [("X-User-Id", String(bob.id)), ("X-Session-Id", "s"), ("X-Internal-Token", "guess")]
                )
                #expect(spoofed.status == 401)
                let asAlice = try await api.send(
                    .GET,
                    "/private/chat-list/",
                    token: alice.token,
                    headers: [("X-User-Id", String(bob.id)), ("X-Session-Id", "s")]
                )
                #expect(asAlice.status == 200)
                #expect(asAlice.array.isEmpty)
            }
        }

        @Test func requestsBypassingTheGatewayAreRefused() async throws {
            try await withMessenger { messenger in
                let alice = try await messenger.gateway.signUp("alice")
                for service in [ServiceName.users, .chat, .auth] {
                    let direct = TestHTTP(baseURL: messenger.url(of: service))
                    let withToken = try await direct.send(
                        .GET,
                        "/private/chat-list/",
                        token: alice.token,
                        headers: [("X-User-Id", String(alice.id))]
                    )
                    #expect(withToken.status == 403, "\(service)")
                    let search = try await direct.send(
                        .GET,
                        "/users/user/?username=alice",
                        headers: [("X-User-Id", String(alice.id)), ("X-Session-Id", "s")]
                    )
                    #expect(search.status == 403, "\(service)")
                    let guessed = try await direct.send(
                        .GET,
                        "/users/user/?username=alice",
                        headers: [("X-Internal-Token", "guess")]
                    )
                    #expect(guessed.status == 403, "\(service)")
                    #expect(try await direct.send(.GET, "/health").status == 200, "\(service)")
                }
                let register = try await TestHTTP(baseURL: messenger.url(of: .auth)).send(
                    .POST,
                    "/auth/register/",
                    json: ["username": "mallory", "email": "m@example.com", "password": "correct horse"]
                )
                #expect(register.status == 403)
            }
        }

        @Test func internalRoutesAreNotReachableThroughTheGateway() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                for path in [
                    "/internal/keys", "/users/../internal/profiles/summaries", "/users/%2e%2e/internal/keys",
                    "/auth/..%2finternal/keys",
                    "/users/internal/profiles/summaries",
                ] {
                    let answer = try await api.send(.POST, path, json: ["ids": [alice.id]], token: alice.token)
                    #expect([404, 405].contains(answer.status), "\(path) answered \(answer.status)")
                    #expect(!answer.text.contains("alice"), "\(path)")
                }
            }
        }

        @Test func logoutEndsTheSessionAtTheGateway() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let other = try await api.login("alice")
                #expect(try await api.send(.POST, "/auth/logout/", token: alice.token).status == 200)
                var refused = false
                for _ in 0..<50 where !refused {
                    refused = try await api.send(.GET, "/private/chat-list/", token: alice.token).status == 401
                    if !refused { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(refused)
                #expect(try await api.send(.GET, "/private/chat-list/", token: other).status == 200)
            }
        }

        @Test func refreshRotatesTokens() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                try await api.register("erin")
                let login = try await api.send(
                    .POST,
                    "/auth/login/",
                    json: ["email": "erin@example.com", "password": "correct horse battery"]
                )
                let refreshToken = try #require(login.object["refresh_token"] as? String)
                let refreshed = try await api.send(.POST, "/auth/refresh/", json: ["refresh_token": refreshToken])
                #expect(refreshed.status == 200)
                let newToken = try #require(refreshed.object["token"] as? String)
                #expect(try await api.send(.GET, "/private/chat-list/", token: newToken).status == 200)
                let replay = try await api.send(.POST, "/auth/refresh/", json: ["refresh_token": refreshToken])
                #expect(replay.status == 401)
            }
        }
    }
}
