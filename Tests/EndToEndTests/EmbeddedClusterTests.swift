import Foundation
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
            let pidFile = directory + "/postgres/data/postmaster.pid"

            try await withMessenger(services: [.auth, .users, .gateway], config: config) { first in
                let registered = try await first.gateway.register("henry")
                #expect(registered.status == 200)
                #expect(FileManager.default.fileExists(atPath: pidFile))
            }
            #expect(!FileManager.default.fileExists(atPath: pidFile))

            try await withMessenger(services: [.auth, .users, .gateway], config: config) { second in
                let token = try await second.gateway.login("henry")
                #expect(!token.isEmpty)
            }
            #expect(!FileManager.default.fileExists(atPath: pidFile))
        }

        @Test func missingPostgreSQLIsAOneLineError() async throws {
            var config = try await Self.embeddedConfig(dataDirectory: "/tmp/msgr-nopg-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
            config.postgresBinDirectory = "/nonexistent/bin"
            let error = await startupError(services: [.users], config: config)
            #expect(
                (error as? EmbeddedPostgresError)?.description
                    == "PG_BIN_DIR /nonexistent/bin has no initdb and pg_ctl",
                "\(String(describing: error))"
            )
        }

        @Test func clusterThatCannotStartIsAOneLineError() async throws {
            let directory = "/tmp/msgr-badpg-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let config = try await Self.embeddedConfig(dataDirectory: directory)
            try await withMessenger(services: [.users], config: config) { _ in }
            // Break the cluster: an unknown setting makes the server refuse to start.
            let settings = directory + "/postgres/data/postgresql.conf"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: settings))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("no_such_setting = 1\n".utf8))
            try handle.close()
            let error = await startupError(services: [.users], config: config)
            let failure = try #require(error as? EmbeddedPostgresError, "\(String(describing: error))")
            #expect(failure.description.hasPrefix("PostgreSQL cannot start:"))
            #expect(!failure.description.contains("\n"))
        }
    }
}
