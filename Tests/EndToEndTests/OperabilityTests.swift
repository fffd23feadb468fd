import Foundation
import Messenger
import NIOHTTP1
import PostgresNIO
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// Health, request ids, cross-service registration, and start-up failures.
    @Suite struct OperabilityTests {
        @Test func healthReportsEveryUpstream() async throws {
            try await withMessenger { messenger in
                let health = try await messenger.gateway.send(.GET, "/health")
                #expect(health.status == 200)
                #expect(health.object["status"] as? String == "ok")
                #expect(health.object["upstreams"] as? [String: String] == ["auth": "ok", "users": "ok", "chat": "ok"])
            }
        }

        @Test func requestsThatArriveWhileTheGatewayFetchesKeysWaitForThem() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                #expect(try await api.register("alice").status == 200)
                // The gateway has not verified any token yet: these all arrive while it fetches Auth's keys.
                let token = try await api.login("alice")
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<40 {
                        group.addTask { try await api.send(.GET, "/gateway/get-token/", token: token).status }
                    }
                    var all: [Int] = []
                    for try await status in group { all.append(status) }
                    return all
                }
                #expect(statuses == Array(repeating: 200, count: 40))
            }
        }

        @Test func requestIDIsGeneratedOrPassedThrough() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let given = try await api.send(
                    .POST,
                    "/auth/login/",
                    json: ["email": "a@example.com", "password": "x"],
                    headers: [("X-Request-Id", "trace-123")]
                )
                #expect(given.headers.first(name: "X-Request-Id") == "trace-123")
                let generated = try await api.send(.GET, "/health")
                #expect(generated.headers.first(name: "X-Request-Id")?.count == 32)
                let unsafe = try await api.send(.GET, "/health", headers: [("X-Request-Id", "bad id with spaces")])
                #expect(unsafe.headers.first(name: "X-Request-Id") != "bad id with spaces")
            }
        }

        @Test func registrationWithUsersDownStoresNothingAndSucceedsLater() async throws {
            let config = try await RunningMessenger.makeConfig()
            try await withMessenger(services: [.auth, .gateway], config: config) { partial in
                let body: [String: any Sendable] = [
                    "username": "frank", "email": "frank@example.com", "password": "correct horse battery",
                ]
                let down = try await partial.gateway.send(.POST, "/auth/register/", json: body)
                #expect(down.status == 503)
                #expect(down.detail?.contains("Users") == true)
                #expect(try await Self.count("auth.accounts", config: config) == 0)
                let health = try await partial.gateway.send(.GET, "/health")
                #expect(health.status == 503)
                #expect((health.object["upstreams"] as? [String: String])?["users"] == "down")

                try await withMessenger(services: [.users], config: config) { _ in
                    let up = try await partial.gateway.send(.POST, "/auth/register/", json: body)
                    #expect(up.status == 200)
                    #expect(try await Self.count("auth.accounts", config: config) == 1)
                    #expect(try await Self.count("users.profiles", config: config) == 1)
                    #expect(try await partial.gateway.login("frank").isEmpty == false)
                }
            }
        }

        @Test func takenPortIsAOneLineStartupError() async throws {
            let config = try await RunningMessenger.makeConfig()
            try await withMessenger(services: [.users], config: config) { _ in
                var clashing = config
                clashing.port = config.usersPort
                let error = await startupError(services: [.gateway], config: clashing)
                #expect(
                    (error as? StartupError)?.description
                        == "port \(config.usersPort) on 127.0.0.1 (gateway) is already in use",
                    "\(String(describing: error))"
                )
            }
        }

        @Test func unwritableDataDirectoryIsAStartupError() async throws {
            var config = try await RunningMessenger.makeConfig()
            config.databaseURL = nil
            config.internalToken = nil
            config.dataDirectory = "/proc/messenger-data"
            let error = await startupError(services: [.users], config: config)
            #expect(error.map { "\($0)".contains("not writable") } == true, "\(String(describing: error))")
        }

        static func count(_ table: String, config: MessengerConfig) async throws -> Int {
            let settings = try DatabaseSettings(url: try #require(config.databaseURL))
            let client = PostgresClient(configuration: settings.configuration)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"))
                for try await count in rows.decode(Int.self) { return count }
                return 0
            }
        }
    }
}
