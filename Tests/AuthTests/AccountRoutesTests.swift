import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing
import Users

@testable import Auth

private let usernameRuleDetail = "Username must be 3-32 characters: latin letters, digits, '_', '.', '-'"
private let usernameRuleDetailRussian =
    "Имя пользователя должно содержать от 3 до 32 символов: латинские буквы, цифры, '_', '.', '-'"
private let invalidEmailDetail = "Email address is not valid"
private let passwordRuleDetail = "Password must be 8-72 bytes long"
private let invalidCredentialsDetail = "Incorrect email or password"
private let invalidRefreshDetail = "Refresh token is invalid or expired"

/// Whether `text` has a letter of the Cyrillic block.
private func containsCyrillic(_ text: String) -> Bool {
    text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
}

@Suite struct RegistrationTests {
    @Test func registerAnswersSuccessAndStoresAccountAndProfile() async throws {
        try await withAuthApp { app in
            let answer = try await app.register(
                Registration(username: "alice", email: "alice@example.com", password: "correct horse")
            )
            #expect(answer.status == .ok)
            #expect(answer.object?.count == 1)
            #expect(answer.detail == "success")
            #expect(try await app.accountCount() == 1)
            let accountID = try await app.integer("SELECT id FROM auth.accounts WHERE email = 'alice@example.com'")
            let profiles = try await app.profiles(named: "alice")
            #expect(profiles == [UserSummary(id: Int64(accountID), username: "alice", avatarURL: nil)])
            // Only a bcrypt hash is kept, never the password.
            #expect(try await app.integer("SELECT count(*) FROM auth.accounts WHERE password_hash LIKE '$2%'") == 1)
            #expect(
                try await app.integer("SELECT count(*) FROM auth.accounts WHERE password_hash LIKE '%correct horse%'")
                    == 0
            )
        }
    }

    @Test func registrationKeepsDescriptionAndStatusInTheProfile() async throws {
        try await withAuthApp { app in
            let answer = try await app.register(Registration(description: "about me", status: "online"))
            #expect(answer.status == .ok)
            #expect(
                try await app.integer(
                    "SELECT count(*) FROM users.profiles WHERE description = 'about me' AND status = 'online'"
                ) == 1
            )
        }
    }

    /// A registration that breaks one rule, and the detail that names the rule.
    struct RefusedRegistration: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var registration: Registration
        var detail: String
    }

    static let refusedRegistrations: [RefusedRegistration] =
        [
            RefusedRegistration(
                testDescription: "username of 2 characters",
                registration: Registration(username: "ab"),
                detail: usernameRuleDetail
            ),
            RefusedRegistration(
                testDescription: "username of 33 characters",
                registration: Registration(username: String(repeating: "a", count: 33)),
                detail: usernameRuleDetail
            ),
        ]
        + ["bad name", "кириллица", "semi;colon", "slash/name", "tab\tname"].map {
            RefusedRegistration(
                testDescription: "username \($0.debugDescription)",
                registration: Registration(username: $0),
                detail: usernameRuleDetail
            )
        }
        + ["no-at", "a@b", "a b@example.com", "a@-x.com", "", "a@@example.com", "a@example.c0m"].map {
            RefusedRegistration(
                testDescription: "email \($0.debugDescription)",
                registration: Registration(email: $0),
                detail: invalidEmailDetail
            )
        }
        + [
            RefusedRegistration(
                testDescription: "password of 7 bytes",
                registration: Registration(password: "1234567"),
                detail: passwordRuleDetail
            ),
            RefusedRegistration(
                testDescription: "password of 73 bytes",
                registration: Registration(password: String(repeating: "p", count: 73)),
                detail: passwordRuleDetail
            ),
            RefusedRegistration(
                testDescription: "description of 191 characters",
                registration: Registration(description: String(repeating: "d", count: 191)),
                detail: "Description must be at most 190 characters"
            ),
            RefusedRegistration(
                testDescription: "status of 31 characters",
                registration: Registration(status: String(repeating: "s", count: 31)),
                detail: "Status must be at most 30 characters"
            ),
        ]

    @Test(arguments: refusedRegistrations)
    func registrationBreakingARuleIsUnprocessableAndStoresNothing(_ refused: RefusedRegistration) async throws {
        try await withAuthApp { app in
            let answer = try await app.register(refused.registration)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.detail == refused.detail)
            #expect(try await app.accountCount() == 0)
            #expect(try await app.profileCount() == 0)
        }
    }

    /// A register request whose body is not a registration, and the answer it gets.
    struct RefusedBody: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var body: String?
        var status: HTTPResponse.Status
        var detail: String
    }

    static let refusedBodies: [RefusedBody] = [
        RefusedBody(
            testDescription: "malformed JSON",
            body: #"{"username": "alice", "#,
            status: .badRequest,
            detail: "Request body is not valid JSON"
        ),
        RefusedBody(
            testDescription: "no body",
            body: nil,
            status: .badRequest,
            detail: "Request body must be a JSON object"
        ),
        RefusedBody(
            testDescription: "no username",
            body: #"{"email": "alice@example.com", "password": "correct horse"}"#,
            status: .unprocessableContent,
            detail: "Field 'username' is required"
        ),
        RefusedBody(
            testDescription: "no email",
            body: #"{"username": "alice", "password": "correct horse"}"#,
            status: .unprocessableContent,
            detail: "Field 'email' is required"
        ),
        RefusedBody(
            testDescription: "no password",
            body: #"{"username": "alice", "email": "alice@example.com"}"#,
            status: .unprocessableContent,
            detail: "Field 'password' is required"
        ),
        RefusedBody(
            testDescription: "username of the wrong type",
            body: #"{"username": 5, "email": "alice@example.com", "password": "correct horse"}"#,
            status: .unprocessableContent,
            detail: "Field 'username' has the wrong type"
        ),
    ]

    @Test(arguments: refusedBodies) func bodyThatIsNotARegistrationIsRefusedAndStoresNothing(
        _ refused: RefusedBody
    ) async throws {
        try await withAuthApp { app in
            let answer = try await app.send(.post, "/auth/register/", body: refused.body)
            #expect(answer.status == refused.status)
            #expect(answer.detail == refused.detail)
            #expect(try await app.accountCount() == 0)
            #expect(try await app.profileCount() == 0)
        }
    }

    /// An `Accept-Language` header and whether it asks for Russian.
    struct LanguagePreference: Sendable, CustomTestStringConvertible {
        var acceptLanguage: String?
        var isRussian: Bool
        var testDescription: String { acceptLanguage ?? "no Accept-Language" }
    }

    static let languagePreferences: [LanguagePreference] =
        ["ru", "ru-RU,en;q=0.8", "en;q=0.5, ru;q=0.9"].map { LanguagePreference(acceptLanguage: $0, isRussian: true) }
        + [nil, "en", "de", "ru;q=0"].map { LanguagePreference(acceptLanguage: $0, isRussian: false) }

    @Test(arguments: languagePreferences) func detailIsRussianOnlyWhenAcceptLanguagePrefersRussian(
        _ preference: LanguagePreference
    ) async throws {
        try await withAuthApp { app in
            let answer = try await app.register(Registration(username: "ab"), language: preference.acceptLanguage)
            #expect(answer.status == .unprocessableContent)
            let detail = try #require(answer.detail)
            #expect(containsCyrillic(detail) == preference.isRussian)
            #expect(detail == (preference.isRussian ? usernameRuleDetailRussian : usernameRuleDetail))
        }
    }

    @Test func usernamesOf3And32AllowedCharactersAreAccepted() async throws {
        try await withAuthApp { app in
            let shortest = try await app.register(Registration(username: "a.b", email: "short@example.com"))
            let longest = try await app.register(
                Registration(username: "Z_-." + String(repeating: "9", count: 28), email: "long@example.com")
            )
            #expect(shortest.status == .ok)
            #expect(longest.status == .ok)
            #expect(try await app.accountCount() == 2)
            #expect(try await app.profileCount() == 2)
        }
    }

    @Test func duplicateUsernameIgnoringCaseIsConflict() async throws {
        try await withAuthApp { app in
            try await app.registered(Registration(username: "alice", email: "alice@example.com"))
            let answer = try await app.register(Registration(username: "ALICE", email: "other@example.com"))
            #expect(answer.status == .conflict)
            #expect(answer.detail == "This username is already taken")
            #expect(try await app.accountCount() == 1)
            #expect(try await app.profileCount() == 1)
            #expect(try await app.integer("SELECT count(*) FROM auth.accounts WHERE email = 'other@example.com'") == 0)
            // The refused registration held nothing back: its e-mail is still free.
            let retry = try await app.register(Registration(username: "alice2", email: "other@example.com"))
            #expect(retry.status == .ok)
            #expect(try await app.accountCount() == 2)
        }
    }

    @Test func duplicateEmailIgnoringCaseIsConflict() async throws {
        try await withAuthApp { app in
            try await app.registered(Registration(username: "alice", email: "alice@example.com"))
            let answer = try await app.register(Registration(username: "bob", email: "ALICE@Example.COM"))
            #expect(answer.status == .conflict)
            #expect(answer.detail == "A user with this email already exists")
            #expect(try await app.accountCount() == 1)
            #expect(try await app.profiles(named: "bob").isEmpty)
            #expect(try await app.profileCount() == 1)
        }
    }

    @Test func passwordsOf8And72BytesAreAccepted() async throws {
        try await withAuthApp { app in
            let shortest = "12345678"
            let longest = String(repeating: "p", count: 72)
            let registeredShortest = try await app.register(
                Registration(username: "short", email: "short@example.com", password: shortest)
            )
            let registeredLongest = try await app.register(
                Registration(username: "long", email: "long@example.com", password: longest)
            )
            #expect(registeredShortest.status == .ok)
            #expect(registeredLongest.status == .ok)
            let accounts = try await app.accountCount()
            #expect(accounts == 2)
            let loginShortest = try await app.login(email: "short@example.com", password: shortest)
            let loginLongest = try await app.login(email: "long@example.com", password: longest)
            #expect(loginShortest.status == .ok)
            #expect(loginLongest.status == .ok)
        }
    }

    @Test func passwordLengthCountsBytesNotCharacters() async throws {
        try await withAuthApp { app in
            // 37 Cyrillic letters are 74 bytes; 36 are exactly 72.
            let tooLong = try await app.register(Registration(password: String(repeating: "я", count: 37)))
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.detail == passwordRuleDetail)
            #expect(try await app.accountCount() == 0)
            let longest = String(repeating: "я", count: 36)
            #expect(try await app.register(Registration(password: longest)).status == .ok)
            #expect(try await app.login(email: "alice@example.com", password: longest).status == .ok)
        }
    }

    @Test func descriptionOf190AndStatusOf30CharactersAreAccepted() async throws {
        try await withAuthApp { app in
            let answer = try await app.register(
                Registration(description: String(repeating: "я", count: 190), status: String(repeating: "ж", count: 30))
            )
            #expect(answer.status == .ok)
            #expect(try await app.integer("SELECT char_length(description) FROM users.profiles") == 190)
            #expect(try await app.integer("SELECT char_length(status) FROM users.profiles") == 30)
        }
    }

    @Test func conflictIsExplainedInRussianToo() async throws {
        try await withAuthApp { app in
            try await app.registered(Registration(username: "alice", email: "alice@example.com"))
            let answer = try await app.register(
                Registration(username: "bob", email: "alice@example.com"),
                language: "ru"
            )
            #expect(answer.status == .conflict)
            #expect(answer.detail == "Пользователь с таким email уже существует")
        }
    }

    @Test func unavailableUsersServiceIsServiceUnavailableAndStoresNothing() async throws {
        try await withAuthApp(usersDown: true) { app in
            let answer = try await app.register(Registration())
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.detail == "Users is unavailable, try again later")
            #expect(try await app.accountCount() == 0)
            #expect(try await app.profileCount() == 0)
            // Nothing was half-created: the same e-mail can't log in either.
            #expect(try await app.login(email: "alice@example.com", password: "correct horse").status == .unauthorized)
        }
    }

    @Test func registerWithAndWithoutTrailingSlashBothWork() async throws {
        try await withAuthApp { app in
            let withoutSlash = try await app.register(
                Registration(username: "alice", email: "alice@example.com"),
                uri: "/auth/register"
            )
            let withSlash = try await app.register(
                Registration(username: "bob", email: "bob@example.com"),
                uri: "/auth/register/"
            )
            #expect(withoutSlash.status == .ok)
            #expect(withSlash.status == .ok)
            #expect(try await app.accountCount() == 2)
        }
    }
}

@Suite struct LoginTests {
    @Test func loginReturnsBearerAccessAndRefreshTokens() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let answer = try await app.login(email: "alice@example.com", password: "correct horse")
            #expect(answer.status == .ok)
            let object = try #require(answer.object)
            let token = try #require(object["token"] as? String)
            let refresh = try #require(object["refresh_token"] as? String)
            #expect(!token.isEmpty)
            #expect(!refresh.isEmpty)
            #expect(token != refresh)
            #expect(object["type"] as? String == "Bearer")
            #expect(object["expires_in"] as? Int == 900)
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions") == 1)
        }
    }

    @Test func loginEmailIgnoresCase() async throws {
        try await withAuthApp { app in
            try await app.registered(Registration(email: "alice@example.com"))
            let answer = try await app.login(email: "Alice@EXAMPLE.com", password: "correct horse")
            #expect(answer.status == .ok)
            #expect(answer.token != nil)
        }
    }

    @Test func unknownEmailAndWrongPasswordGetTheSameAnswer() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let unknown = try await app.login(email: "nobody@example.com", password: "correct horse")
            let wrong = try await app.login(email: "alice@example.com", password: "wrong horse")
            #expect(unknown.status == .unauthorized)
            #expect(wrong.status == .unauthorized)
            #expect(unknown.body == wrong.body)
            #expect(unknown.detail == invalidCredentialsDetail)
            #expect(wrong.detail == invalidCredentialsDetail)
            #expect(unknown.headers[.wwwAuthenticate] == wrong.headers[.wwwAuthenticate])
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions") == 0)
        }
    }

    @Test func accessTokenNamesUserSessionAndKey() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let accountID = try await app.integer("SELECT id FROM auth.accounts")
            let before = Date().timeIntervalSince1970
            let tokens = try await app.tokens()
            let parts = try jwtParts(tokens.access)

            #expect(parts.header["alg"] as? String == "EdDSA")
            let kid = try #require(parts.header["kid"] as? String)
            #expect(!kid.isEmpty)
            #expect(kid == app.keyID)

            #expect(parts.payload["sub"] as? String == String(accountID))
            let sid = try #require(parts.payload["sid"] as? String)
            #expect(UUID(uuidString: sid) != nil)
            #expect(sid == sid.lowercased())
            #expect(
                try await app.integer(
                    "SELECT count(*) FROM auth.sessions WHERE id = '\(sid)'::uuid AND user_id = \(accountID)"
                ) == 1
            )
            let exp = try #require(jsonNumber(parts.payload["exp"]))
            #expect(exp >= before + 900 - 5)
            #expect(exp <= Date().timeIntervalSince1970 + 900 + 5)
        }
    }

    @Test func eachLoginStartsItsOwnSession() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let first = try caller(ofAccessToken: try await app.tokens().access)
            let second = try caller(ofAccessToken: try await app.tokens().access)
            #expect(first.userID == second.userID)
            #expect(first.sessionID != second.sessionID)
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions") == 2)
        }
    }

    @Test func loginWithMissingPasswordIsUnprocessable() async throws {
        try await withAuthApp { app in
            let answer = try await app.send(.post, "/auth/login/", body: #"{"email": "alice@example.com"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.detail == "Field 'password' is required")
        }
    }

    @Test func loginWithAndWithoutTrailingSlashBothWork() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let body = #"{"email": "alice@example.com", "password": "correct horse"}"#
            #expect(try await app.send(.post, "/auth/login", body: body).status == .ok)
            #expect(try await app.send(.post, "/auth/login/", body: body).status == .ok)
        }
    }
}

@Suite struct RefreshTests {
    @Test func refreshIssuesNewTokensForTheSameSession() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let first = try await app.tokens()
            let answer = try await app.refresh(first.refresh)
            #expect(answer.status == .ok)
            let object = try #require(answer.object)
            let token = try #require(object["token"] as? String)
            let refresh = try #require(object["refresh_token"] as? String)
            #expect(refresh != first.refresh)
            #expect(object["type"] as? String == "Bearer")
            #expect(object["expires_in"] as? Int == 900)
            #expect(try caller(ofAccessToken: token) == caller(ofAccessToken: first.access))
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions") == 1)
        }
    }

    @Test func rotatedRefreshTokenKeepsWorkingInTurn() async throws {
        try await withAuthApp { app in
            try await app.registered()
            var refresh = try await app.tokens().refresh
            for _ in 1...3 {
                let answer = try await app.refresh(refresh)
                #expect(answer.status == .ok)
                refresh = try #require(answer.refreshToken)
            }
        }
    }

    @Test func reusingARotatedRefreshTokenRevokesTheSession() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let old = try await app.tokens().refresh
            let rotated = try await app.refresh(old)
            #expect(rotated.status == .ok)
            let new = try #require(rotated.refreshToken)

            let reuse = try await app.refresh(old)
            #expect(reuse.status == .unauthorized)
            #expect(reuse.detail == invalidRefreshDetail)

            let afterReuse = try await app.refresh(new)
            #expect(afterReuse.status == .unauthorized)
            #expect(afterReuse.detail == invalidRefreshDetail)
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions WHERE revoked_at IS NOT NULL") == 1)
        }
    }

    @Test func reusingATokenRotatedAwayTwoStepsAgoRevokesTheSession() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let first = try await app.tokens().refresh
            let second = try #require(try await app.refresh(first).refreshToken)
            let third = try #require(try await app.refresh(second).refreshToken)

            let reuse = try await app.refresh(first)
            #expect(reuse.status == .unauthorized)
            let afterReuse = try await app.refresh(third)
            #expect(afterReuse.status == .unauthorized)
            let revoked = try await app.integer("SELECT count(*) FROM auth.sessions WHERE revoked_at IS NOT NULL")
            #expect(revoked == 1)
        }
    }

    @Test func unknownRefreshTokenIsUnauthorized() async throws {
        try await withAuthApp { app in
            try await app.registered()
            _ = try await app.tokens()
            let answer = try await app.refresh("not-a-real-token")
            #expect(answer.status == .unauthorized)
            #expect(answer.detail == invalidRefreshDetail)
            // A random guess revokes nothing.
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions WHERE revoked_at IS NOT NULL") == 0)
        }
    }

    @Test func refreshWithoutTokenFieldIsUnprocessable() async throws {
        try await withAuthApp { app in
            let answer = try await app.send(.post, "/auth/refresh/", body: "{}")
            #expect(answer.status == .unprocessableContent)
            #expect(answer.detail == "Field 'refresh_token' is required")
        }
    }
}

@Suite struct LogoutTests {
    @Test func logoutEndsTheSessionAndItsRefreshToken() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let tokens = try await app.tokens()
            let owner = try caller(ofAccessToken: tokens.access)
            let answer = try await app.send(
                .post,
                "/auth/logout/",
                headers: gatewayHeaders(caller: owner, language: nil)
            )
            #expect(answer.status == .ok)
            #expect(answer.detail == "success")
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions WHERE revoked_at IS NOT NULL") == 1)

            let refresh = try await app.refresh(tokens.refresh)
            #expect(refresh.status == .unauthorized)
            #expect(refresh.detail == invalidRefreshDetail)
        }
    }

    @Test func logoutLeavesOtherSessionsAlone() async throws {
        try await withAuthApp { app in
            try await app.registered()
            let phone = try await app.tokens()
            let laptop = try await app.tokens()
            let answer = try await app.send(
                .post,
                "/auth/logout",
                headers: gatewayHeaders(caller: try caller(ofAccessToken: phone.access), language: nil)
            )
            #expect(answer.status == .ok)
            #expect(try await app.refresh(laptop.refresh).status == .ok)
            #expect(try await app.refresh(phone.refresh).status == .unauthorized)
        }
    }

    @Test func logoutCannotEndAnotherUsersSession() async throws {
        try await withAuthApp { app in
            try await app.registered(Registration(username: "alice", email: "alice@example.com"))
            try await app.registered(Registration(username: "bob", email: "bob@example.com"))
            let alice = try await app.tokens(email: "alice@example.com")
            let bob = try caller(ofAccessToken: try await app.tokens(email: "bob@example.com").access)
            let aliceSession = try caller(ofAccessToken: alice.access).sessionID
            let forged = Caller(userID: bob.userID, sessionID: aliceSession)
            let answer = try await app.send(
                .post,
                "/auth/logout/",
                headers: gatewayHeaders(caller: forged, language: nil)
            )
            #expect(answer.status == .ok)
            #expect(try await app.integer("SELECT count(*) FROM auth.sessions WHERE revoked_at IS NOT NULL") == 0)
            #expect(try await app.refresh(alice.refresh).status == .ok)
        }
    }

    @Test func logoutWithoutCallerIsUnauthorized() async throws {
        try await withAuthApp { app in
            let answer = try await app.send(.post, "/auth/logout/", headers: gatewayHeaders(caller: nil, language: nil))
            #expect(answer.status == .unauthorized)
            #expect(answer.detail == "Not authenticated")
        }
    }
}

@Suite struct AuthInternalTokenTests {
    @Test func requestWithoutInternalTokenIsForbidden() async throws {
        try await withAuthApp { app in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let answer = try await app.send(
                .post,
                "/auth/register/",
                headers: headers,
                body: try jsonText(Registration())
            )
            #expect(answer.status == .forbidden)
            let detail = try #require(answer.detail)
            #expect(detail.contains("gateway"))
            #expect(try await app.accountCount() == 0)
            #expect(try await app.profileCount() == 0)
        }
    }

    @Test func requestWithWrongInternalTokenIsForbidden() async throws {
        try await withAuthApp { app in
            try await app.registered()
            var headers = gatewayHeaders(caller: nil, language: nil)
            headers[InternalHeaders.token] = "guess"
            let answer = try await app.send(
                .post,
                "/auth/login/",
                headers: headers,
                body: #"{"email": "alice@example.com", "password": "correct horse"}"#
            )
            #expect(answer.status == .forbidden)
            #expect(answer.detail?.contains("gateway") == true)
            #expect(answer.token == nil)
        }
    }

    @Test func forbiddenIsExplainedInRussianWhenAsked() async throws {
        try await withAuthApp { app in
            var headers = HTTPFields()
            headers[.acceptLanguage] = "ru"
            let answer = try await app.send(.post, "/auth/login/", headers: headers, body: "{}")
            #expect(answer.status == .forbidden)
            #expect(answer.detail == "Это внутренний сервис: отправляйте запросы через шлюз")
        }
    }

    @Test func healthNeedsNoToken() async throws {
        try await withAuthApp { app in
            let answer = try await app.send(.get, "/health", headers: HTTPFields())
            #expect(answer.status == .ok)
            #expect(answer.object?["service"] as? String == "auth")
            #expect(answer.object?["database"] as? String == "ok")
        }
    }
}
