import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import Shared

/// The libcurl client against a real local HTTP server.
@Suite struct CurlHTTPClientTests {
    actor HitCounter {
        private(set) var hits = 0

        func hit() {
            hits += 1
        }
    }

    /// Runs `body` with a live server on a free port: `/json`, `/echo`, `/unavailable`, `/slow`, `/big`.
    static func withServer(
        _ body: @escaping @Sendable (_ baseURL: String, _ counter: HitCounter) async throws -> Void
    ) async throws {
        let counter = HitCounter()
        let router = Router()
        router.get("/json") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        router.post("/echo") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            return Response(status: .ok, body: .init(byteBuffer: bytes))
        }
        router.on("/unavailable", method: .get) { _, _ -> HTTPResponse.Status in
            await counter.hit()
            return .serviceUnavailable
        }
        router.on("/unavailable", method: .post) { _, _ -> HTTPResponse.Status in
            await counter.hit()
            return .serviceUnavailable
        }
        router.post("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        router.get("/big") { _, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: 2 << 20)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)", counter)
        }
    }

    static func client(totalTimeout: Duration = .seconds(5), maxResponseSize: Int = 1 << 20) -> CurlHTTPClient {
        var configuration = CurlHTTPClient.Configuration()
        configuration.totalTimeout = totalTimeout
        configuration.maxResponseSize = maxResponseSize
        configuration.retryBackoff = .milliseconds(10)
        return CurlHTTPClient(configuration: configuration)
    }

    @Test func getsStatusHeadersAndBody() async throws {
        try await Self.withServer { base, _ in
            let response = try await Self.client().send(OutboundRequest(method: "GET", url: base + "/json"))
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true}"#)
        }
    }

    @Test func sendsTheBodyAndHeaders() async throws {
        try await Self.withServer { base, _ in
            let request = OutboundRequest(
                method: "POST",
                url: base + "/echo",
                headers: [("Content-Type", "text/plain")],
                body: Array("ping".utf8)
            )
            let response = try await Self.client().send(request)
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "ping")
        }
    }

    @Test func retriesIdempotentRequestsOnlyAndBoundedly() async throws {
        try await Self.withServer { base, counter in
            let get = try await Self.client().send(OutboundRequest(method: "GET", url: base + "/unavailable"))
            #expect(get.status == 503)
            let afterGet = await counter.hits
            #expect(afterGet == 3)
            let post = try await Self.client().send(
                OutboundRequest(method: "POST", url: base + "/unavailable", body: [])
            )
            #expect(post.status == 503)
            let afterPost = await counter.hits
            #expect(afterPost == 4)
        }
    }

    @Test func slowAnswersTimeOut() async throws {
        try await Self.withServer { base, _ in
            let started = ContinuousClock.now
            await #expect(throws: OutboundError.self) {
                _ = try await Self.client(totalTimeout: .milliseconds(300)).send(
                    OutboundRequest(method: "POST", url: base + "/slow", body: [])
                )
            }
            do {
                _ = try await Self.client(totalTimeout: .milliseconds(300)).send(
                    OutboundRequest(method: "POST", url: base + "/slow", body: [])
                )
            } catch let error as OutboundError {
                #expect(error.kind == .timeout)
            }
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }

    @Test func oversizedAnswersAreCutOff() async throws {
        try await Self.withServer { base, _ in
            do {
                _ = try await Self.client(maxResponseSize: 1 << 20).send(
                    OutboundRequest(method: "GET", url: base + "/big")
                )
                Issue.record("a 2 MiB answer passed a 1 MiB limit")
            } catch let error as OutboundError {
                #expect(error.kind == .responseTooLarge)
            }
        }
    }

    @Test func unreachableServersAreReportedAsSuch() async throws {
        let port = try freePort()
        do {
            _ = try await Self.client().send(
                OutboundRequest(method: "POST", url: "http://127.0.0.1:\(port)/", body: [])
            )
            Issue.record("a closed port answered")
        } catch let error as OutboundError {
            #expect(error.kind == .unreachable)
        }
    }

    @Test func otherProtocolsAreRefused() async throws {
        await #expect(throws: OutboundError.self) {
            _ = try await Self.client().send(OutboundRequest(method: "GET", url: "file:///etc/passwd"))
        }
    }
}
