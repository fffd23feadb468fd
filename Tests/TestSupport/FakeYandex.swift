import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Messenger
import NIOCore
import Shared

/// A local fake of Yandex ID's three HTTP endpoints (`/authorize`, `/token`, `/info`), on loopback.
///
/// One server runs per test process; each test takes a ``FakeYandex/Tenant`` of its own, reached under
/// `/t/<tenant>/...`, so tests running at the same time never see each other's users, codes or failures.
/// It checks what the real service checks: client credentials, single-use codes, PKCE S256, OAuth tokens.
public actor FakeYandex {
    public static let shared = FakeYandex()

    private var server: Task<Int, any Error>?
    private var tenants: [String: Tenant] = [:]

    /// A new, empty tenant with client id `client-id` and secret `client-secret`.
    public func makeTenant() async throws -> Tenant {
        let port = try await started()
        let id = UUID().uuidString.lowercased()
        let tenant = Tenant(base: "http://127.0.0.1:\(port)/t/\(id)")
        tenants[id] = tenant
        return tenant
    }

    func tenant(_ id: String?) -> Tenant? {
        id.flatMap { tenants[$0] }
    }

    private func started() async throws -> Int {
        if let server { return try await server.value }
        let task = Task { try await Self.startServer(fake: self) }
        server = task
        return try await task.value
    }

    private static func startServer(fake: FakeYandex) async throws -> Int {
        let port = try freePort()
        let router = Router()
        let tenantRoutes = router.group("t/{tenant}")
        tenantRoutes.get("authorize") { request, context in
            await fake.tenant(context.parameters.get("tenant"))?.authorize(request) ?? Response(status: .notFound)
        }
        tenantRoutes.post("token") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            return await fake.tenant(context.parameters.get("tenant"))?.token(request, body: body)
                ?? Response(status: .notFound)
        }
        tenantRoutes.get("info") { request, context in
            await fake.tenant(context.parameters.get("tenant"))?.info(request) ?? Response(status: .notFound)
        }
        var logger = Logger(label: "fake-yandex")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: logger
        )
        // Lives as long as the test process: never shut down, so no test waits on it.
        Task.detached { try await app.runService(gracefulShutdownSignals: []) }
        for _ in 0..<200 {
            if PortCheck.isFree(host: "127.0.0.1", port: port) == false { return port }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw StartupError("fake Yandex did not start")
    }

    /// One test's Yandex: its users, codes and failure switch.
    public actor Tenant {
        public nonisolated let base: String
        public nonisolated let clientID = "client-id"
        public nonisolated let clientSecret = "client-secret"
        private var users: [String: [String: any Sendable]] = [:]
        private var codes: [String: (challenge: String, token: String, used: Bool)] = [:]
        private var signedInToken: String?
        private var failing = false
        /// Requests each endpoint received, by name.
        public private(set) var calls: [String: Int] = [:]

        init(base: String) {
            self.base = base
        }

        /// `YANDEX_OAUTH_URL` and `YANDEX_LOGIN_URL` for this tenant.
        public nonisolated var url: String { base }

        /// Adds a user reachable with the OAuth token `token`; `info` is what `/info` answers.
        public func addUser(token: String, info: [String: any Sendable]) {
            users[token] = info
        }

        /// The user `/authorize` approves for (the browser's Yandex session); `nil` declines.
        public func signIn(token: String?) {
            signedInToken = token
        }

        /// Makes every endpoint answer 500, as Yandex does in an outage.
        public func setFailing(_ failing: Bool) {
            self.failing = failing
        }

        func count(_ name: String) {
            calls[name, default: 0] += 1
        }

        func authorize(_ request: Request) -> Response {
            count("authorize")
            if failing { return Response(status: .internalServerError) }
            let query = request.uri.queryParameters
            let redirect = query.get("redirect_uri") ?? "http://app.test/callback"
            let state = query.get("state") ?? ""
            guard query.get("response_type") == "code", query.get("client_id") == clientID,
                query.get("code_challenge_method") == "S256", let challenge = query.get("code_challenge")
            else { return Response(status: .badRequest) }
            var location = redirect + (redirect.contains("?") ? "&" : "?")
            if let token = signedInToken {
                let code = UUID().uuidString
                codes[code] = (challenge, token, false)
                location += FormEncoding.encode([("code", code), ("state", state)])
            } else {
                location += FormEncoding.encode([("error", "access_denied"), ("state", state)])
            }
            return Response(status: .found, headers: [.location: location])
        }

        func token(_ request: Request, body: ByteBuffer) -> Response {
            count("token")
            if failing { return Response(status: .internalServerError) }
            let expected = "Basic " + Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
            guard request.headers[.authorization] == expected else {
                return Self.json(.unauthorized, ["error": "invalid_client"])
            }
            var form: [String: String] = [:]
            for pair in String(buffer: body).split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                if parts.count == 2 { form[parts[0]] = parts[1] }
            }
            guard form["grant_type"] == "authorization_code", let code = form["code"], let issued = codes[code],
                !issued.used
            else { return Self.json(.badRequest, ["error": "invalid_grant"]) }
            codes[code]?.used = true
            let verifier = form["code_verifier"] ?? ""
            let challenge = Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
            guard challenge == issued.challenge else {
                return Self.json(.badRequest, ["error": "invalid_grant", "error_description": "code_verifier"])
            }
            return Self.json(.ok, ["access_token": issued.token, "token_type": "bearer", "expires_in": 3600])
        }

        func info(_ request: Request) -> Response {
            count("info")
            if failing { return Response(status: .internalServerError) }
            guard let header = request.headers[.authorization], header.hasPrefix("OAuth "),
                let user = users[String(header.dropFirst(6))]
            else { return Response(status: .unauthorized) }
            return Self.json(.ok, user)
        }

        static func json(_ status: HTTPResponse.Status, _ object: [String: any Sendable]) -> Response {
            let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return Response(
                status: status,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
            )
        }
    }
}
