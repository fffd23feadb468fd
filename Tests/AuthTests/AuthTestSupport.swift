import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Users

@testable import Auth

/// Auth's profile registrar backed by the real Users store on the same database: the profile is created
/// and removed in-process instead of over HTTP (the HTTP hop is covered by the end-to-end tests).
struct LocalUsersRegistrar: ProfileRegistrar {
    let store: PostgresProfileStore

    func create(_ profile: NewProfile, requestID: String, logger: Logger) async throws {
        do {
            try await store.create(
                Profile(
                    id: profile.id,
                    username: profile.username,
                    description: profile.description,
                    status: profile.status
                ),
                logger: logger
            )
        } catch UsersError.usernameTaken {
            throw AuthError.usernameTaken
        }
    }

    func delete(id: Int64, requestID: String, logger: Logger) async throws {
        try await store.delete(id: id, logger: logger)
    }
}

/// A Users service that cannot be reached, as ``UsersServiceRegistrar`` reports it.
struct DownUsersRegistrar: ProfileRegistrar {
    func create(_ profile: NewProfile, requestID: String, logger: Logger) async throws {
        throw APIError.unavailable("Users")
    }

    func delete(id: Int64, requestID: String, logger: Logger) async throws {
        throw APIError.unavailable("Users")
    }
}

/// A directory in which nobody is found (the account tests never ask it).
struct NoUsersDirectory: UserDirectory {
    func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary] {
        [:]
    }

    func publicUsers(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: PublicUser] {
        [:]
    }
}

/// The settings of the Auth tests: fast password hashing, hour-long sessions.
func authTestConfig() -> MessengerConfig {
    var config = MessengerConfig()
    config.bcryptCost = 4
    config.accessTokenLifetime = 900
    config.refreshTokenLifetime = 3600
    return config
}

/// An answer of the Auth router as the test sees it.
struct AuthAnswer: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    /// The body parsed with `JSONSerialization`.
    var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    /// The body as a JSON object.
    var object: [String: Any]? { json as? [String: Any] }
    /// `detail` of an error (or success) body.
    var detail: String? { object?["detail"] as? String }
    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
    /// `token` of a token answer.
    var token: String? { object?["token"] as? String }
    /// `refresh_token` of a token answer.
    var refreshToken: String? { object?["refresh_token"] as? String }
}

/// The body of `POST /auth/register/`; `nil` fields are left out of the JSON.
struct Registration: Encodable, Sendable {
    var username = "alice"
    var email = "alice@example.com"
    var password = "correct horse"
    var description: String?
    var status: String?
}

/// A test precondition that did not hold.
struct AuthTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// What an Auth test sees: the router's client, the database behind it and the signing key's id.
struct AuthFixture: Sendable {
    let client: any TestClientProtocol
    let database: PostgresClient
    let keyID: String
    let logger = Logger(label: "auth-test")

    /// Sends a request; by default with the internal token and no caller, as the gateway forwards public routes.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: HTTPFields = gatewayHeaders(caller: nil, language: nil),
        body: String? = nil
    ) async throws -> AuthAnswer {
        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        { response in
            AuthAnswer(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    /// `POST /auth/register/` with `registration`.
    func register(
        _ registration: Registration,
        uri: String = "/auth/register/",
        language: String? = nil
    ) async throws -> AuthAnswer {
        try await send(
            .post,
            uri,
            headers: gatewayHeaders(caller: nil, language: language),
            body: try jsonText(registration)
        )
    }

    /// Registers `registration` and fails the test's precondition unless it succeeded.
    func registered(_ registration: Registration = Registration()) async throws {
        let answer = try await register(registration)
        guard answer.status == .ok else {
            throw AuthTestFailure(description: "registration failed: \(answer.status) \(answer.text)")
        }
    }

    /// `POST /auth/login/`.
    func login(email: String, password: String) async throws -> AuthAnswer {
        let fields: [String: String] = ["email": email, "password": password]
        return try await send(.post, "/auth/login/", body: try jsonText(fields))
    }

    /// `POST /auth/refresh/`.
    func refresh(_ refreshToken: String) async throws -> AuthAnswer {
        let fields: [String: String] = ["refresh_token": refreshToken]
        return try await send(.post, "/auth/refresh/", body: try jsonText(fields))
    }

    /// Logs in and returns the access and refresh tokens.
    func tokens(
        email: String = "alice@example.com",
        password: String = "correct horse"
    ) async throws -> (access: String, refresh: String) {
        let answer = try await login(email: email, password: password)
        guard answer.status == .ok, let token = answer.token, let refresh = answer.refreshToken else {
            throw AuthTestFailure(description: "login failed: \(answer.status) \(answer.text)")
        }
        return (token, refresh)
    }

    /// The single integer `sql` answers.
    func integer(_ sql: String) async throws -> Int {
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        throw AuthTestFailure(description: "no row for \(sql)")
    }

    /// Number of rows in `auth.accounts`.
    func accountCount() async throws -> Int {
        try await integer("SELECT count(*) FROM auth.accounts")
    }

    /// Number of rows in `users.profiles`.
    func profileCount() async throws -> Int {
        try await integer("SELECT count(*) FROM users.profiles")
    }

    /// The profiles whose username is `username` (ignoring case), read through the Users store.
    func profiles(named username: String) async throws -> [UserSummary] {
        try await PostgresProfileStore(client: database, media: MediaLinks(baseURL: "http://media.test")).publicUsers(
            username: username,
            logger: logger
        ).map(\.summary)
    }
}

/// `value` as JSON text.
func jsonText(_ value: some Encodable) throws -> String {
    String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
}

/// Header and payload of a JWT, decoded from base64url with Foundation only.
func jwtParts(_ token: String) throws -> (header: [String: Any], payload: [String: Any]) {
    let segments = token.split(separator: ".", omittingEmptySubsequences: false)
    guard segments.count == 3 else { throw AuthTestFailure(description: "not a JWT: \(token)") }
    func decodeSegment(_ segment: Substring) throws -> [String: Any] {
        var base64 = String(segment).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
            let decoded = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw AuthTestFailure(description: "segment is not base64url JSON: \(segment)") }
        return decoded
    }
    return (try decodeSegment(segments[0]), try decodeSegment(segments[1]))
}

/// The caller an access token names (`sub`, `sid`), as the gateway would forward it.
func caller(ofAccessToken token: String) throws -> Caller {
    let payload = try jwtParts(token).payload
    guard let sub = payload["sub"] as? String, let userID = Int64(sub), let sid = payload["sid"] as? String else {
        throw AuthTestFailure(description: "token has no sub/sid: \(payload)")
    }
    return Caller(userID: userID, sessionID: sid)
}

/// A JSON number as a `Double`.
func jsonNumber(_ value: Any?) -> Double? {
    if let number = value as? NSNumber { return number.doubleValue }
    if let number = value as? Double { return number }
    if let number = value as? Int { return Double(number) }
    return nil
}

/// Base64 of 32 random bytes: a fresh Ed25519 seed.
func randomSeed() -> String {
    var generator = SystemRandomNumberGenerator()
    return Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
}

/// Runs `body` against Auth's router on a fresh database with the `auth` and `users` schemas. Profiles go
/// to the real Users store, or, with `usersDown`, to a Users service that cannot be reached.
func withAuthApp(usersDown: Bool = false, _ body: @escaping @Sendable (AuthFixture) async throws -> Void) async throws {
    try await withFreshDatabase(migrators: [AuthMigrations.migrator, UsersMigrations.migrator]) { database in
        let signingKey = try SigningKey(base64Seed: randomSeed())
        let profiles: any ProfileRegistrar =
            usersDown
            ? DownUsersRegistrar()
            : LocalUsersRegistrar(
                store: PostgresProfileStore(client: database, media: MediaLinks(baseURL: "http://media.test"))
            )
        let dependencies = try await AuthDependencies(
            config: authTestConfig(),
            keys: Secrets.AuthKeys(signingKey: signingKey, qrTicketKey: randomSeed(), oauthStateKey: randomSeed()),
            database: database,
            profiles: profiles,
            directory: NoUsersDirectory()
        )
        let router = AuthService.makeRouter(
            dependencies,
            internalToken: testInternalToken,
            database: database,
            logger: Logger(label: "auth-test")
        ).router
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await body(AuthFixture(client: client, database: database, keyID: signingKey.keyID))
        }
    }
}
