import Foundation
import Logging
import PostgresNIO
import Shared

/// Runs `body` with a running `PostgresClient` on a fresh database with the schemas of `migrators`, then
/// shuts the client down and drops the database, also when `body` throws.
public func withFreshDatabase<Result: Sendable>(
    migrators: [Migrator],
    _ body: @Sendable (PostgresClient) async throws -> Result
) async throws -> Result {
    let database = try await TestDatabase.shared.makeDatabase(migratedWith: migrators)
    let client = PostgresClient(configuration: database.settings.configuration)
    do {
        // The group returns once the client has stopped, so the drop below finds its connections closed.
        let result = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
        try await TestDatabase.shared.dropDatabase(database.name)
        return result
    } catch {
        try? await TestDatabase.shared.dropDatabase(database.name)
        throw error
    }
}
