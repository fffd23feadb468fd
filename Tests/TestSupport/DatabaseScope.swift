import Foundation
import Logging
import PostgresNIO
import Shared

/// Runs `body` with a running `PostgresClient` on a fresh database, migrated with `migrators`.
public func withFreshDatabase<Result: Sendable>(
    migrators: [Migrator],
    _ body: @Sendable (PostgresClient) async throws -> Result
) async throws -> Result {
    let settings = try await TestDatabase.shared.makeDatabase()
    let client = PostgresClient(configuration: settings.configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        let logger = Logger(label: "test")
        for migrator in migrators {
            try await migrator.migrate(on: client, logger: logger)
        }
        return try await body(client)
    }
}
