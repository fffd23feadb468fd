import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Shared
import Testing

@Suite struct InProcessServicesTests {
    static let base = "http://127.0.0.1:1"

    /// A service that checks the internal token like the real ones and echoes what it was sent.
    static func echoRouter(token: String) -> Router<MessengerRequestContext> {
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

    @Test func aRegisteredServiceAnswersWithoutASocketThroughItsMiddleware() async throws {
        let services = InProcessServices()
        #expect(try await Self.respond(services, .post, "/internal/echo") == nil)
        services.register(
            Self.echoRouter(token: "secret-token-123").buildResponder(),
            at: Self.base,
            logger: Logger(label: "t")
        )
        let elsewhere = try await services.respond(
            .post,
            "/internal/echo",
            headers: [:],
            body: nil,
            at: "http://127.0.0.1:2"
        )
        #expect(elsewhere == nil)

        var headers = HTTPFields()
        headers[InternalHeaders.token] = "secret-token-123"
        headers[InternalHeaders.userID] = "42"
        headers[InternalHeaders.sessionID] = "s"
        headers[InternalHeaders.clientAddress] = "203.0.113.9"
        let answer = try #require(
            try await Self.respond(services, .post, "/internal/echo", headers, body: "hello")
        )
        #expect(answer.status == .accepted)
        #expect(answer.headers[HTTPField.Name("X-Seen-User")!] == "42")
        #expect(answer.headers[HTTPField.Name("X-Seen-Client")!] == "203.0.113.9")
        let body = try await answer.collectBody(upTo: 100, service: "Echo")
        #expect(String(buffer: body) == "hello")

        // The service's own token check still applies.
        let refused = try #require(try await Self.respond(services, .post, "/internal/echo"))
        #expect(refused.status == .unauthorized || refused.status == .forbidden)
    }

    @Test func webSocketRoutesAreFoundByServiceAndPath() {
        let services = InProcessServices()
        #expect(services.webSocketHandler(for: "/hub", at: Self.base) == nil)
        services.register(
            Self.echoRouter(token: "secret-token-123").buildResponder(),
            webSockets: ["/hub": { _, _, _ in }],
            at: Self.base,
            logger: Logger(label: "t")
        )
        #expect(services.webSocketHandler(for: "/hub", at: Self.base) != nil)
        #expect(services.webSocketHandler(for: "/other", at: Self.base) == nil)
        #expect(services.webSocketHandler(for: "/hub", at: "http://127.0.0.1:2") == nil)
    }

    @Test func aBodyOverTheLimitIsA503NamingTheService() async throws {
        let services = Self.echoServices()
        var headers = HTTPFields()
        headers[InternalHeaders.token] = "secret-token-123"
        let answer = try #require(
            try await Self.respond(services, .get, "/internal/big", headers)
        )
        await #expect(throws: APIError.unavailable("Echo")) {
            _ = try await answer.collectBody(upTo: 63, service: "Echo")
        }
    }

    @Test func aServiceClientUsesTheInProcessInstanceAndHTTPForTheRest() async throws {
        let services = Self.echoServices()
        let client = ServiceClient(
            name: "Echo",
            baseURL: Self.base,
            internalToken: "secret-token-123",
            httpClient: HTTPClient.shared,
            inProcess: services
        )
        let reply = try await client.send(
            .POST,
            "/internal/echo",
            body: ["a": 1],
            caller: Caller(userID: 5, sessionID: "s"),
            requestID: "r1",
            logger: Logger(label: "t")
        )
        #expect(reply.status == 202)
        #expect(String(decoding: reply.body, as: UTF8.self) == #"{"a":1}"#)

        // Port 1 has no listener: without the in-process registration the same call is a 503.
        let overHTTP = ServiceClient(
            name: "Echo",
            baseURL: Self.base,
            internalToken: "secret-token-123",
            httpClient: HTTPClient.shared,
            timeout: .milliseconds(300)
        )
        await #expect(throws: APIError.unavailable("Echo")) {
            _ = try await overHTTP.send(.GET, "/internal/big", requestID: "r2", logger: Logger(label: "t"))
        }
    }

    /// The echo service registered at ``base``.
    static func echoServices() -> InProcessServices {
        let services = InProcessServices()
        services.register(echoRouter(token: "secret-token-123").buildResponder(), at: base, logger: Logger(label: "t"))
        return services
    }

    static func respond(
        _ services: InProcessServices,
        _ method: HTTPRequest.Method,
        _ path: String,
        _ headers: HTTPFields = [:],
        body: String = ""
    ) async throws -> Response? {
        try await services.respond(method, path, headers: headers, body: ByteBuffer(string: body), at: base)
    }
}
