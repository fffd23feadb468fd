import Foundation
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

/// The test harness's fresh databases: copies of one migrated template, dropped after each use.
@Suite struct TestDatabaseTests {
    static let logger = Logger(label: "test-database-test")

    static let probe = Migrator(
        schema: "harness_probe",
        migrations: [
            Migration(
                1,
                "create_rows",
                [
                    "CREATE TABLE harness_probe.rows (id integer PRIMARY KEY)",
                    "INSERT INTO harness_probe.rows VALUES (1)",
                ]
            )
        ]
    )

    /// What a fresh database holds: its name, its rows and when its migration ran.
    struct Copy: Sendable, Equatable {
        var name: String
        var rows: [Int]
        var migratedAt: Date
    }

    static func inspect(_ client: PostgresClient) async throws -> Copy {
        var name = ""
        for try await value in try await client.query("SELECT current_database()::text", logger: logger).decode(
            String.self
        ) {
            name = value
        }
        var rows: [Int] = []
        let query = "SELECT id FROM harness_probe.rows ORDER BY id"
        for try await id in try await client.query(PostgresQuery(unsafeSQL: query), logger: logger).decode(Int.self) {
            rows.append(id)
        }
        var migratedAt = Date.distantPast
        let migrations = "SELECT applied_at FROM harness_probe.schema_migrations"
        for try await date in try await client.query(PostgresQuery(unsafeSQL: migrations), logger: logger)
            .decode(Date.self)
        {
            migratedAt = date
        }
        return Copy(name: name, rows: rows, migratedAt: migratedAt)
    }

    /// Whether the cluster has a database called `name`.
    static func exists(_ name: String) async throws -> Bool {
        try await withFreshDatabase(migrators: []) { client in
            let rows = try await client.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    @Test func freshDatabasesAreSeparateCopiesOfOneMigrationAndAreDroppedAfterwards() async throws {
        let first = try await withFreshDatabase(migrators: [Self.probe]) { client in
            let copy = try await Self.inspect(client)
            try await client.query("INSERT INTO harness_probe.rows VALUES (2)", logger: Self.logger)
            return copy
        }
        let second = try await withFreshDatabase(migrators: [Self.probe]) { client in
            try await Self.inspect(client)
        }
        #expect(first.rows == [1])
        // The first test's write stayed in its own copy.
        #expect(second.rows == [1])
        #expect(first.name != second.name)
        // Both copies carry the one migration of their template, not a migration each.
        #expect(first.migratedAt == second.migratedAt)
        #expect(try await Self.exists(first.name) == false)
        #expect(try await Self.exists(second.name) == false)
    }

    @Test func aFreshDatabaseIsDroppedWhenTheTestThrows() async throws {
        struct Failure: Error {
            var database: String
        }
        do {
            try await withFreshDatabase(migrators: [Self.probe]) { client in
                throw Failure(database: try await Self.inspect(client).name)
            }
            Issue.record("the body's error was lost")
        } catch let failure as Failure {
            #expect(try await Self.exists(failure.database) == false)
        }
    }
}
