import Foundation
import TestSupport
import Testing

extension EndToEnd {
    /// A `messenger serve` killed with SIGKILL (a crash, the OOM killer) leaves nothing behind that keeps
    /// the next start from working or slows it: its embedded PostgreSQL, still running, is adopted, and
    /// its ports can be bound again at once.
    @Suite struct CrashRestartTests {
        @Test func aKilledMessengerStartsAgainAtOnceWithItsData() async throws {
            let directory = NSTemporaryDirectory() + "messenger-crash-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let ports = try freePorts(4)
            let environment: [String: String] = [
                "DATA_DIR": directory + "/data", "PORT": String(ports[0]), "AUTH_PORT": String(ports[1]),
                "USERS_PORT": String(ports[2]), "CHAT_PORT": String(ports[3]), "BCRYPT_COST": "4",
                "LOG_LEVEL": "warning",
            ]
            let first = try MessengerProcess.start(
                environment: environment,
                gatewayPort: ports[0],
                log: directory + "/first.log"
            )
            var second: MessengerProcess?
            do {
                _ = try await first.waitUntilHealthy()
                #expect(try await first.gateway.register("crash").status == 200)
                try await first.stop(with: SIGKILL)

                let restarted = try MessengerProcess.start(
                    environment: environment,
                    gatewayPort: ports[0],
                    log: directory + "/second.log"
                )
                second = restarted
                let startup = try await restarted.waitUntilHealthy()
                #expect(startup < .seconds(15), "restart took \(startup)")
                #expect(try await restarted.gateway.login("crash").isEmpty == false)
                try await restarted.stop(with: SIGTERM)
                #expect(!FileManager.default.fileExists(atPath: directory + "/data/postgres/data/postmaster.pid"))
            } catch {
                try? await second?.stop(with: SIGKILL)
                try? await first.stop(with: SIGKILL)
                throw error
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
