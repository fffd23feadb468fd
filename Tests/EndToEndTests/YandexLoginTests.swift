import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// Sign-up and sign-in with Yandex ID through the gateway, against the local fake of Yandex's API.
    @Suite struct YandexLoginTests {
        static let ivan: [String: any Sendable] = [
            "id": "1001", "login": "ivan.petrov", "default_email": "ivan@yandex.ru",
            "default_avatar_id": "31804/BYkogAC6AoB17bN1HKRFAyKiM4-1", "is_avatar_empty": false,
        ]

        @Test func codeFlowSignsUpOnFirstUseAndSignsInAfter() async throws {
            let yandex = try await FakeYandex.shared.makeTenant()
            await yandex.addUser(token: "token-ivan", info: Self.ivan)
            await yandex.signIn(token: "token-ivan")
            try await withYandex(yandex) { messenger in
                let api = messenger.gateway
                let started = try await YandexFlow.start(api)
                // The link carries the code flow, our client id, the redirect URI, a state and an S256 challenge.
                #expect(started.parameter("response_type") == "code")
                #expect(started.parameter("client_id") == yandex.clientID)
                #expect(started.parameter("redirect_uri") == messenger.callbackURL)
                #expect(started.parameter("code_challenge_method") == "S256")
                #expect(started.parameter("code_challenge")?.count == 43)
                #expect(started.parameter("client_secret") == nil)
                #expect(started.url.string?.contains(yandex.clientSecret) == false)
                #expect(started.setCookie.contains("HttpOnly"))
                #expect(started.setCookie.contains("SameSite=Lax"))

                let first = try await started.finish(api)
                #expect(first.status == 200)
                #expect(first.object["new_user"] as? Bool == true)
                #expect(first.object["type"] as? String == "Bearer")
                let token = try #require(first.object["token"] as? String)
                #expect(first.headers.first(name: "Set-Cookie")?.contains("Max-Age=0") == true)

                let search = try await api.send(.GET, "/users/user/?username=ivan.petrov", token: token)
                #expect(search.status == 200)
                #expect(search.array.first?["username"] as? String == "ivan.petrov")
                #expect(
                    search.array.first?["avatar_url"] as? String
                        == "https://avatars.yandex.net/get-yapic/31804/BYkogAC6AoB17bN1HKRFAyKiM4-1/islands-retina-50"
                )
                let userID = search.array.first?["id"] as? Int

                let again = try await YandexFlow.start(api).finish(api)
                #expect(again.status == 200)
                #expect(again.object["new_user"] as? Bool == false)
                let second = try #require(again.object["token"] as? String)
                let me = try await api.send(.GET, "/gateway/get-token/", token: second)
                #expect(me.object["user_id"] as? Int == userID)
            }
        }

        @Test func forgedReusedOrForeignStatesAreRefusedAndStoreNothing() async throws {
            let yandex = try await FakeYandex.shared.makeTenant()
            await yandex.addUser(token: "token-ivan", info: Self.ivan)
            await yandex.signIn(token: "token-ivan")
            try await withYandex(yandex) { messenger in
                let api = messenger.gateway
                let expected =
                    "The sign-in state is invalid, expired, already used or from another browser; start again"

                let started = try await YandexFlow.start(api)
                let location = try await started.authorize()
                let code = try #require(location.parameter("code"))
                let state = try #require(location.parameter("state"))
                #expect(state == started.parameter("state"))

                // A state that was altered, a missing cookie, another browser's cookie, no state at all.
                var altered = Array(state)
                altered[10] = altered[10] == "A" ? "B" : "A"
                let other = try await YandexFlow.start(api)
                let attempts: [(String, String?)] = [
                    ("code=\(code)&state=\(String(altered))", started.cookie),
                    ("code=\(code)&state=\(state)", nil),
                    ("code=\(code)&state=\(state)", other.cookie),
                    ("code=\(code)", started.cookie),
                ]
                for (query, cookie) in attempts {
                    let answer = try await api.send(
                        .GET,
                        "/auth/yandex_callback/?" + query,
                        headers: cookie.map { [("Cookie", $0)] } ?? []
                    )
                    #expect(answer.status == 400, "\(query) \(cookie ?? "-")")
                    #expect(answer.detail == expected, "\(query)")
                }
                #expect(await yandex.calls["token"] == nil)
                #expect(try await api.send(.POST, "/auth/login_yandex/?oauth_token=token-ivan").status == 404)

                // The real callback works once; the same state again is refused.
                let done = try await api.send(.GET, location.pathAndQuery, headers: [("Cookie", started.cookie)])
                #expect(done.status == 200)
                #expect(done.headers["Cache-Control"].first == "no-store")
                let replay = try await api.send(.GET, location.pathAndQuery, headers: [("Cookie", started.cookie)])
                #expect(replay.status == 400)
                #expect(replay.detail == expected)
            }
        }

        @Test func aCodeExchangedWithAnotherSignInsVerifierIsRefused() async throws {
            let yandex = try await FakeYandex.shared.makeTenant()
            await yandex.addUser(token: "token-ivan", info: Self.ivan)
            await yandex.signIn(token: "token-ivan")
            try await withYandex(yandex) { messenger in
                let api = messenger.gateway
                let first = try await YandexFlow.start(api)
                let second = try await YandexFlow.start(api)
                let code = try #require(try await first.authorize().parameter("code"))
                // The second sign-in's state and cookie carry its own PKCE verifier, which does not match
                // the challenge the first code was issued for: Yandex refuses the exchange.
                let state = try #require(second.parameter("state"))
                let answer = try await api.send(
                    .GET,
                    "/auth/yandex_callback/?code=\(code)&state=\(state)",
                    headers: [("Cookie", second.cookie)]
                )
                #expect(answer.status == 400)
                #expect(answer.detail == "Yandex ID did not accept the authorization code; start the sign-in again")
                #expect(await yandex.calls["token"] == 1)
                #expect(try await api.send(.POST, "/auth/login_yandex/?oauth_token=token-ivan").status == 404)
            }
        }

        @Test func declinedAuthorizationIsAClearError() async throws {
            let yandex = try await FakeYandex.shared.makeTenant()
            try await withYandex(yandex) { messenger in
                let api = messenger.gateway
                let started = try await YandexFlow.start(api)
                let location = try await started.authorize()
                #expect(location.parameter("error") == "access_denied")
                let answer = try await api.send(.GET, location.pathAndQuery, headers: [("Cookie", started.cookie)])
                #expect(answer.status == 400)
                #expect(answer.detail == "Yandex ID sign-in was not authorized (access_denied)")
            }
        }

        @Test func tokenFlowRegistersOnceAndSignsInByYandexID() async throws {
            let yandex = try await FakeYandex.shared.makeTenant()
            await yandex.addUser(token: "token-ivan", info: Self.ivan)
            // Same login and e-mail as existing users: the username is made unique, the e-mail is refused.
            await yandex.addUser(
                token: "token-alice",
                info: ["id": "2002", "login": "alice", "default_email": "alice.ya@yandex.ru", "is_avatar_empty": true]
            )
            await yandex.addUser(
                token: "token-bob",
                info: ["id": "3003", "login": "bob2", "default_email": "bob@example.com"]
            )
            await yandex.addUser(token: "token-noemail", info: ["id": "4004", "login": "quiet"])
            try await withYandex(yandex) { messenger in
                let api = messenger.gateway
                #expect(try await api.register("alice").status == 200)
                #expect(try await api.register("bob").status == 200)

                let registered = try await api.send(.POST, "/auth/yandex_oauth_register/?oauth_token=token-ivan")
                #expect(registered.status == 200)
                #expect(registered.object["detail"] as? String == "success")
                let twice = try await api.send(.POST, "/auth/yandex_oauth_register/?oauth_token=token-ivan")
                #expect(twice.status == 409)
                #expect(twice.detail == "This Yandex account is already registered")

                let login = try await api.send(
                    .POST,
                    "/auth/login_yandex/?oauth_token=token-ivan",
                    json: ["client_fingerprint": "abc"]
                )
                #expect(login.status == 200)
                #expect(login.object["type"] as? String == "Bearer")
                #expect(login.headers["Cache-Control"].first == "no-store")
                #expect(login.headers["Pragma"].first == "no-cache")
                let token = try #require(login.object["token"] as? String)
                let found = try await api.send(.GET, "/users/user/?username=ivan.petrov", token: token)
                #expect(found.array.count == 1)

                let alice = try await api.send(.POST, "/auth/yandex_oauth_register/?oauth_token=token-alice")
                #expect(alice.status == 200)
                let aliceToken = try await api.send(.POST, "/auth/login_yandex/?oauth_token=token-alice")
                let aliceMe = try await api.send(
                    .GET,
                    "/gateway/get-token/",
                    token: aliceToken.object["token"] as? String
                )
                let aliceID = try #require(aliceMe.object["user_id"] as? Int)
                let renamed = try await api.send(.GET, "/users/user/?username=alice", token: token)
                #expect(renamed.array.first?["id"] as? Int != aliceID)

                let bob = try await api.send(.POST, "/auth/yandex_oauth_register/?oauth_token=token-bob")
                #expect(bob.status == 409)
                #expect(bob.detail == "A user with this email already exists")

                let quiet = try await api.send(.POST, "/auth/yandex_oauth_register/?oauth_token=token-noemail")
                #expect(quiet.status == 422)

                let unknown = try await api.send(.POST, "/auth/login_yandex/?oauth_token=token-bob")
                #expect(unknown.status == 404)
                #expect(unknown.detail == "No user is registered with this Yandex account")
                let russian = try await api.send(
                    .POST,
                    "/auth/login_yandex/?oauth_token=token-bob",
                    headers: [("Accept-Language", "ru")]
                )
                #expect(russian.detail == "Пользователь с этим аккаунтом Яндекса не зарегистрирован")

                let invalid = try await api.send(.POST, "/auth/login_yandex/?oauth_token=forged")
                #expect(invalid.status == 401)
                #expect(invalid.detail == "Yandex ID did not accept the OAuth token")
                let invalidRegister = try await api.send(.POST, "/auth/yandex_oauth_register/?oauth_token=forged")
                #expect(invalidRegister.status == 401)
                let missing = try await api.send(.POST, "/auth/yandex_oauth_register/")
                #expect(missing.status == 422)
            }
        }

        @Test func yandexOutageIs503AndStoresNothing() async throws {
            let yandex = try await FakeYandex.shared.makeTenant()
            await yandex.addUser(token: "token-ivan", info: Self.ivan)
            await yandex.setFailing(true)
            try await withYandex(yandex) { messenger in
                let api = messenger.gateway
                let failing = try await api.send(.POST, "/auth/yandex_oauth_register/?oauth_token=token-ivan")
                #expect(failing.status == 503)
                #expect(failing.detail == "Yandex ID is unavailable, try again later")
                await yandex.setFailing(false)
                // Nothing was stored: the Yandex account is still unknown, and registers now.
                #expect(try await api.send(.POST, "/auth/login_yandex/?oauth_token=token-ivan").status == 404)
                #expect(try await api.send(.POST, "/auth/yandex_oauth_register/?oauth_token=token-ivan").status == 200)
            }
            // Nothing listening at all.
            let closed = try freePort()
            let unreachable: @Sendable (inout MessengerConfig) -> Void = { config in
                config.yandexClientID = "id"
                config.yandexClientSecret = "secret"
                config.yandexLoginURL = "http://127.0.0.1:\(closed)"
                config.yandexOAuthURL = "http://127.0.0.1:\(closed)"
            }
            try await withMessenger(configure: unreachable) { messenger in
                let answer = try await messenger.gateway.send(.POST, "/auth/yandex_oauth_register/?oauth_token=t")
                #expect(answer.status == 503)
                #expect(answer.detail == "Yandex ID is unavailable, try again later")
            }
        }

        @Test func withoutCredentialsEveryYandexRouteIs503() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                for (method, path) in [
                    (HTTPMethod.GET, "/auth/yandex_oauth_url/"), (.POST, "/auth/yandex_oauth_register/?oauth_token=t"),
                    (.POST, "/auth/login_yandex/?oauth_token=t"), (.GET, "/auth/yandex_callback/?code=c&state=s"),
                ] {
                    let answer = try await api.send(method, path)
                    #expect(answer.status == 503, "\(path)")
                    #expect(answer.detail == "Sign-in with Yandex ID is not configured on this server", "\(path)")
                }
            }
        }

        /// Runs the messenger with `yandex` as its Yandex ID and the gateway's callback as redirect URI.
        func withYandex(
            _ yandex: FakeYandex.Tenant,
            _ body: @Sendable (RunningMessenger) async throws -> Void
        ) async throws {
            let useFake: @Sendable (inout MessengerConfig) -> Void = { config in
                config.yandexClientID = yandex.clientID
                config.yandexClientSecret = yandex.clientSecret
                config.yandexOAuthURL = yandex.url
                config.yandexLoginURL = yandex.url
                config.yandexRedirectURI = "http://127.0.0.1:\(config.port)/auth/yandex_callback/"
            }
            try await withMessenger(configure: useFake) { messenger in
                try await body(messenger)
            }
        }
    }
}

extension RunningMessenger {
    /// The redirect URI the Yandex tests register.
    var callbackURL: String { "http://127.0.0.1:\(config.port)/auth/yandex_callback/" }
}

/// One browser's Yandex sign-in: the authorize link and the binding cookie `yandex_oauth_url` gave it.
struct YandexFlow {
    let url: URLComponents
    let setCookie: String
    /// The `Cookie` header the browser sends back.
    let cookie: String

    /// `GET /auth/yandex_oauth_url/`.
    static func start(_ api: TestHTTP) async throws -> YandexFlow {
        let answer = try await api.send(.GET, "/auth/yandex_oauth_url/")
        guard answer.status == 200, let link = answer.object["yandex_url"] as? String,
            let url = URLComponents(string: link), let setCookie = answer.headers.first(name: "Set-Cookie"),
            let cookie = setCookie.split(separator: ";").first
        else { throw E2EFailure("yandex_oauth_url: \(answer.status) \(answer.text)") }
        return YandexFlow(url: url, setCookie: setCookie, cookie: String(cookie))
    }

    func parameter(_ name: String) -> String? {
        url.queryItems?.first { $0.name == name }?.value
    }

    /// The browser at Yandex: where Yandex redirects it back to.
    func authorize() async throws -> URLComponents {
        let answer = try await CurlHTTPClient().send(OutboundRequest(method: "GET", url: url.string ?? ""))
        guard answer.status == 302, let location = answer.header("Location"), let back = URLComponents(string: location)
        else { throw E2EFailure("authorize: \(answer.status)") }
        return back
    }

    /// Authorizes at Yandex and follows the redirect back to the callback with the cookie.
    func finish(_ api: TestHTTP) async throws -> TestHTTP.Answer {
        let back = try await authorize()
        return try await api.send(.GET, back.pathAndQuery, headers: [("Cookie", cookie)])
    }
}

extension URLComponents {
    func parameter(_ name: String) -> String? {
        queryItems?.first { $0.name == name }?.value
    }

    /// The path and query as a request line carries them.
    var pathAndQuery: String {
        percentEncodedPath + (percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}
