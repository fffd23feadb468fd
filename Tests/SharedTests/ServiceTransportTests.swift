import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Shared
import Testing

@Suite struct ServiceTransportTests {
    static let token = "secret-token-123"

    /// A service that checks the internal token like the real ones and echoes what it was sent.
    static func echoRouter() -> Router<MessengerRequestContext> {
        let router = Router(context: MessengerRequestContext.self)
        router.add(middleware: RequestLogMiddleware(addressSource: .gateway))
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: InternalCallerMiddleware(token: token))
        router.post("/internal/echo") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            headers[HTTPField.Name("X-Seen-User")!] = context.caller.map { String($0.userID) } ?? "-"
            headers[HTTPField.Name("X-Seen-Client")!] = context.clientAddress
            return Response(status: .accepted, headers: headers, body: .init(byteBuffer: body))
        }
        router.get("/internal/big") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: 64)))
        }
        return router
    }

    /// Users, served by the echo router in this process at 127.0.0.1:1 (where nothing listens).
    static func echoUsers() -> LocalService {
        let users = LocalService(.users, host: "127.0.0.1", port: 1)
        users.serve(echoRouter().buildResponder(), logger: Logger(label: "t"))
        return users
    }

    static func transport(usersURL: String, local: [LocalService]) throws -> ServiceTransport {
        ServiceTransport(
            config: try MessengerConfig(environment: ["USERS_URL": usersURL]),
            local: local,
            internalToken: token,
            httpClient: HTTPClient.shared
        )
    }

    @Test(arguments: ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "http://127.0.0.1:1/"])
    func everySpellingOfTheLocalAddressIsServedInProcess(url: String) throws {
        let transport = try Self.transport(usersURL: url, local: [Self.echoUsers()])
        #expect(transport.instances(of: .users).all.map(\.isInProcess) == [true])
    }

    @Test(arguments: ["http://127.0.0.1:2", "http://users-1:1", "https://127.0.0.1:1"])
    func anotherAddressIsCalledOverHTTP(url: String) throws {
        let transport = try Self.transport(usersURL: url, local: [Self.echoUsers()])
        #expect(transport.instances(of: .users).all.map(\.isInProcess) == [false])
    }

    @Test func aServiceListeningOnEveryAddressServesLoopbackURLs() {
        let everywhere = LocalService(.auth, host: "0.0.0.0", port: 8081)
        #expect(everywhere.isReached(by: "http://localhost:8081"))
        #expect(everywhere.isReached(by: "http://127.0.0.1:8081"))
        #expect(!everywhere.isReached(by: "http://auth-2:8081"))
        #expect(!everywhere.isReached(by: "http://localhost:8082"))
        #expect(!LocalService(.auth, host: "10.0.0.5", port: 80).isReached(by: "http://localhost"))
        #expect(LocalService(.auth, host: "10.0.0.5", port: 80).isReached(by: "http://10.0.0.5"))
    }

    /// `AUTH_URL=http://localhost:8081` with the default `INTERNAL_HOST=127.0.0.1`, as `messenger serve`
    /// builds its transport: Auth is called in process, not over loopback HTTP.
    @Test func theDefaultInternalHostServesALocalhostURLInProcess() throws {
        let config = try MessengerConfig(environment: ["AUTH_URL": "http://localhost:8081"])
        let (host, port) = config.listenAddress(of: .auth)
        let transport = ServiceTransport(
            config: config,
            local: [LocalService(.auth, host: host, port: port)],
            internalToken: Self.token,
            httpClient: HTTPClient.shared
        )
        #expect(transport.instances(of: .auth).all.map(\.isInProcess) == [true])
        #expect(transport.instances(of: .users).all.map(\.isInProcess) == [false])
    }

    @Test func aLocalServiceAnswersThroughItsMiddlewareOnceItListens() async throws {
        let users = LocalService(.users, host: "127.0.0.1", port: 1)
        await #expect(throws: LocalService.NotListening.self) {
            _ = try await users.respond(.post, "/internal/echo", headers: [:], body: nil)
        }
        #expect(UpstreamFailure.isConnectFailure(LocalService.NotListening(service: .users)))
        users.serve(
            Self.echoRouter().buildResponder(),
            webSockets: ["/hub": { _, _, _ in }],
            logger: Logger(label: "t")
        )
        #expect(users.webSocketHandler(for: "/hub") != nil)
        #expect(users.webSocketHandler(for: "/other") == nil)

        var headers = HTTPFields()
        headers[InternalHeaders.token] = Self.token
        headers[InternalHeaders.userID] = "42"
        headers[InternalHeaders.sessionID] = "s"
        headers[InternalHeaders.clientAddress] = "203.0.113.9"
        let answer = try await users.respond(
            .post,
            "/internal/echo",
            headers: headers,
            body: ByteBuffer(string: "hello")
        )
        #expect(answer.status == .accepted)
        #expect(answer.headers[HTTPField.Name("X-Seen-User")!] == "42")
        #expect(answer.headers[HTTPField.Name("X-Seen-Client")!] == "203.0.113.9")
        let body = try await answer.collectBody(upTo: 100, service: .users)
        #expect(String(buffer: body) == "hello")

        // The service's own token check still applies.
        let refused = try await users.respond(.post, "/internal/echo", headers: [:], body: nil)
        #expect(refused.status == .forbidden)
    }

    @Test func aBodyOverTheLimitIsA503NamingTheService() async throws {
        var headers = HTTPFields()
        headers[InternalHeaders.token] = Self.token
        let answer = try await Self.echoUsers().respond(.get, "/internal/big", headers: headers, body: nil)
        await #expect(throws: APIError.unavailable("Users")) {
            _ = try await answer.collectBody(upTo: 63, service: .users)
        }
    }

    @Test func aServiceClientUsesTheInProcessInstanceAndHTTPForTheRest() async throws {
        let client = ServiceClient(
            .users,
            transport: try Self.transport(usersURL: "http://localhost:1", local: [Self.echoUsers()])
        )
        let reply = try await client.send(
            .post,
            "/internal/echo",
            body: ["a": 1],
            caller: Caller(userID: 5, sessionID: "s"),
            requestID: "r1",
            logger: Logger(label: "t")
        )
        #expect(reply.status == 202)
        #expect(String(decoding: reply.body, as: UTF8.self) == #"{"a":1}"#)

        // Port 1 has no listener: without the service in this process the same call is a 503.
        let overHTTP = ServiceClient(
            .users,
            transport: try Self.transport(usersURL: "http://localhost:1", local: []),
            timeout: .milliseconds(300)
        )
        await #expect(throws: APIError.unavailable("Users")) {
            _ = try await overHTTP.send(.get, "/internal/big", requestID: "r2", logger: Logger(label: "t"))
        }
    }

    @Test func aLocalServiceThatDoesNotListenYetIsSkippedForTheNextInstance() async throws {
        let starting = LocalService(.users, host: "127.0.0.1", port: 1)
        let transport = ServiceTransport(
            services: [
                .users: ServiceInstances([
                    ServiceInstance(url: "http://127.0.0.1:1", local: starting),
                    ServiceInstance(url: "http://127.0.0.1:2", local: Self.echoUsers()),
                ])
            ],
            internalToken: Self.token,
            httpClient: HTTPClient.shared
        )
        // A POST is not idempotent, yet it moves on: it never reached the first instance.
        let reply = try await ServiceClient(.users, transport: transport)
            .send(.post, "/internal/echo", body: ["b": 2], requestID: "r3", logger: Logger(label: "t"))
        #expect(reply.status == 202)
        #expect(String(decoding: reply.body, as: UTF8.self) == #"{"b":2}"#)
    }
}
