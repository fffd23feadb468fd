import Foundation
import Logging
import Messenger
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// `messenger serve` without `DATABASE_URL`: its own cluster under `DATA_DIR`, created once, reused,
    /// and stopped on shutdown.
    @Suite struct EmbeddedClusterTests {
        static func embeddedConfig(dataDirectory: String) async throws -> MessengerConfig {
            var config = try await RunningMessenger.makeConfig()
            config.databaseURL = nil
            config.dataDirectory = dataDirectory
            return config
        }

        @Test func clusterIsCreatedReusedAndStopped() async throws {
            let directory = "/tmp/msgr-embedded-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let config = try await Self.embeddedConfig(dataDirectory: directory)

            let first = try await RunningMessenger.start(services: [.auth, .users, .gateway], config: config)
            let registered = try await first.gateway.register("henry")
            #expect(registered.status == 200)
            #expect(FileManager.default.fileExists(atPath: directory + "/postgres/data/postmaster.pid"))
            await first.stop()
            #expect(!FileManager.default.fileExists(atPath: directory + "/postgres/data/postmaster.pid"))

            let second = try await RunningMessenger.start(services: [.auth, .users, .gateway], config: config)
            let token = try await second.gateway.login("henry")
            #expect(!token.isEmpty)
            await second.stop()
            #expect(!FileManager.default.fileExists(atPath: directory + "/postgres/data/postmaster.pid"))
        }

        @Test func missingPostgreSQLIsAOneLineError() async throws {
            var config = try await Self.embeddedConfig(dataDirectory: "/tmp/msgr-nopg-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
            config.postgresBinDirectory = "/nonexistent/bin"
            let server = MessengerServer(config: config, services: [.users], logger: Logger(label: "test"))
            do {
                try await server.run(signals: [])
                Issue.record("started without PostgreSQL")
            } catch let error as EmbeddedPostgresError {
                #expect(error.description == "PG_BIN_DIR /nonexistent/bin has no initdb and pg_ctl")
            }
        }

        @Test func clusterThatCannotStartIsAOneLineError() async throws {
            let directory = "/tmp/msgr-badpg-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let config = try await Self.embeddedConfig(dataDirectory: directory)
            let first = try await RunningMessenger.start(services: [.users], config: config)
            await first.stop()
            // Break the cluster: an unknown setting makes the server refuse to start.
            let settings = directory + "/postgres/data/postgresql.conf"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: settings))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("no_such_setting = 1\n".utf8))
            try handle.close()
            let server = MessengerServer(config: config, services: [.users], logger: Logger(label: "test"))
            do {
                try await server.run(signals: [])
                Issue.record("started with a broken cluster")
            } catch let error as EmbeddedPostgresError {
                #expect(error.description.hasPrefix("PostgreSQL cannot start:"))
                #expect(!error.description.contains("\n"))
            }
        }
    }
}
