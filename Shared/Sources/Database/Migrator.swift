import Logging
import PostgresNIO

/// Applies a service's migrations to its own schema at start-up.
///
/// Everything pending runs in one transaction with the versions recorded in `<schema>.schema_migrations`,
/// so a failed migration leaves nothing behind. A transaction-scoped advisory lock serialises instances
/// that start at the same time; running it again applies nothing.
public struct Migrator: Sendable {
    /// The schema the service owns (`auth`, `users`, `chat`).
    public let schema: String
    /// The service's migrations, in any order.
    public let migrations: [Migration]

    public init(schema: String, migrations: [Migration]) {
        precondition(schema.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") }, "unsafe schema name")
        precondition(Set(migrations.map(\.version)).count == migrations.count, "duplicate migration version")
        self.schema = schema
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies the pending migrations.
    /// - Returns: the versions applied by this call.
    @discardableResult
    public func migrate(on client: PostgresClient, logger: Logger) async throws -> [Int] {
        let lockName = "messenger.migrations.\(schema)"
        let applied = try await client.inTransaction(logger: logger) { connection -> [Int] in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lockName)))", logger: logger)
            // The schema name is checked in init; identifiers cannot be bound.
            try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS \(unescaped: schema).schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            var done = Set<Int>()
            let rows = try await connection.query(
                "SELECT version FROM \(unescaped: schema).schema_migrations",
                logger: logger
            )
            for try await version in rows.decode(Int.self) {
                done.insert(version)
            }
            var appliedNow: [Int] = []
            for migration in migrations where !done.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO \(unescaped: schema).schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
                appliedNow.append(migration.version)
            }
            return appliedNow
        }
        if !applied.isEmpty {
            logger.info("migrations.applied", metadata: ["schema": .string(schema), "versions": "\(applied)"])
        }
        return applied
    }
}
