import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

private let logger = Logger(label: "migrator-test")

private let createOne = Migration(1, "create_one", ["CREATE TABLE probe.one (id integer PRIMARY KEY)"])
private let createTwo = Migration(
    2,
    "create_two",
    ["CREATE TABLE probe.two (id integer PRIMARY KEY)", "INSERT INTO probe.two (id) VALUES (1)"]
)
private let createThree = Migration(3, "create_three", ["CREATE TABLE probe.three (id integer PRIMARY KEY)"])

/// The single integer `sql` answers.
private func integer(_ sql: String, on client: PostgresClient) async throws -> Int {
    let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    for try await value in rows.decode(Int.self) { return value }
    return -1
}

/// The integers of the first column of `sql`, in order.
private func integers(_ sql: String, on client: PostgresClient) async throws -> [Int] {
    let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    var result: [Int] = []
    for try await value in rows.decode(Int.self) { result.append(value) }
    return result
}

/// Number of tables in `schema`.
private func tableCount(in schema: String, on client: PostgresClient) async throws -> Int {
    try await integer("SELECT count(*) FROM information_schema.tables WHERE table_schema = '\(schema)'", on: client)
}

@Suite struct MigratorTests {
    @Test func pendingMigrationsApplyOnceInVersionOrder() async throws {
        try await withFreshDatabase(migrators: []) { client in
            let migrator = Migrator(schema: "probe", migrations: [createTwo, createOne])
            let observed38 = try await migrator.migrate(on: client, logger: logger)
            #expect(observed38 == [1, 2])
            let observed39 = try await migrator.migrate(on: client, logger: logger).isEmpty
            #expect(observed39)
            let observed40 = try await integers(
                "SELECT version FROM probe.schema_migrations ORDER BY version",
                on: client
            )
            #expect(observed40 == [1, 2])
            #expect(
                try await integer(
                    "SELECT count(*) FROM probe.schema_migrations WHERE (version, name) IN ((1, 'create_one'), (2, 'create_two'))",
                    on: client
                ) == 2
            )
            // Migration 2's insert ran exactly once.
            let observed46 = try await integer("SELECT count(*) FROM probe.two", on: client)
            #expect(observed46 == 1)
        }
    }

    @Test func failedMigrationLeavesNothingBehind() async throws {
        try await withFreshDatabase(migrators: []) { client in
            let broken = Migrator(
                schema: "probe",
                migrations: [
                    createOne,
                    Migration(2, "broken", ["CREATE TABLE probe.two (id integer)", "CREATE TABBLE probe.oops ()"]),
                ]
            )
            var failed = false
            do {
                try await broken.migrate(on: client, logger: logger)
            } catch {
                failed = true
            }
            #expect(failed)
            // Neither migration 1's table nor the bookkeeping table (hence no version row) survived.
            let observed63 = try await tableCount(in: "probe", on: client)
            #expect(observed63 == 0)
            let observed64 = try await integer(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'probe'",
                on: client
            )
            #expect(observed64 == 0)

            // A fixed sequence then starts from scratch.
            let fixed = Migrator(schema: "probe", migrations: [createOne, createTwo])
            let observed68 = try await fixed.migrate(on: client, logger: logger)
            #expect(observed68 == [1, 2])
        }
    }

    @Test func migrationAddedLaterIsTheOnlyOneApplied() async throws {
        try await withFreshDatabase(migrators: []) { client in
            let observed74 = try await Migrator(schema: "probe", migrations: [createOne, createTwo]).migrate(
                on: client,
                logger: logger
            )
            #expect(observed74 == [1, 2])
            let grown = Migrator(schema: "probe", migrations: [createOne, createTwo, createThree])
            let observed76 = try await grown.migrate(on: client, logger: logger)
            #expect(observed76 == [3])
            let observed77 = try await grown.migrate(on: client, logger: logger).isEmpty
            #expect(observed77)
            let observed78 = try await integers(
                "SELECT version FROM probe.schema_migrations ORDER BY version",
                on: client
            )
            #expect(observed78 == [1, 2, 3])
            let observed79 = try await integer("SELECT count(*) FROM probe.two", on: client)
            #expect(observed79 == 1)
            #expect(
                try await integer(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'probe' AND table_name = 'three'",
                    on: client
                )
                    == 1
            )
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        try await withFreshDatabase(migrators: []) { client in
            let migrator = Migrator(schema: "probe", migrations: [createOne, createTwo])
            async let first = migrator.migrate(on: client, logger: logger)
            async let second = migrator.migrate(on: client, logger: logger)
            let results = try await [first, second]
            let appliedCounts = results.map { $0.count }.sorted()
            #expect(appliedCounts == [0, 2])
            let appliedVersions = results.flatMap { $0 }.sorted()
            #expect(appliedVersions == [1, 2])
            #expect(try await integer("SELECT count(*) FROM probe.schema_migrations", on: client) == 2)
            #expect(try await integer("SELECT count(*) FROM probe.two", on: client) == 1)
        }
    }

    @Test func schemasKeepTheirOwnVersions() async throws {
        try await withFreshDatabase(migrators: []) { client in
            let probe = Migrator(schema: "probe", migrations: [createOne])
            let other = Migrator(
                schema: "other",
                migrations: [Migration(1, "create_table", ["CREATE TABLE other.t (id integer)"])]
            )
            let observed106 = try await probe.migrate(on: client, logger: logger)
            #expect(observed106 == [1])
            let observed107 = try await other.migrate(on: client, logger: logger)
            #expect(observed107 == [1])
            let observed108 = try await integer("SELECT count(*) FROM probe.schema_migrations", on: client)
            #expect(observed108 == 1)
            let observed109 = try await integer("SELECT count(*) FROM other.schema_migrations", on: client)
            #expect(observed109 == 1)
        }
    }
}
