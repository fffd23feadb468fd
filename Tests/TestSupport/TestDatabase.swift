import Crypto
import Foundation
import Logging
import PostgresNIO
import Shared

/// The test harness's PostgreSQL: one embedded cluster per test process, started by the product's own
/// ``EmbeddedPostgres`` code, and a fresh database for every suite or test that asks for one.
///
/// A database with a service's schema is copied from a template migrated once per test process
/// (`CREATE DATABASE … TEMPLATE`, as SwiftPackageIndex-Server's tests do), not migrated again for each test.
public actor TestDatabase {
    /// The cluster of this test process.
    public static let shared = TestDatabase()

    static let root = "/tmp/messenger-tests-\(getpid())"
    private var cluster: Task<Cluster, any Error>?
    /// The migrated templates, by ``templateKey(_:)``: concurrent first callers share one creation.
    private var templates: [String: Task<String, any Error>] = [:]
    private var counter = 0
    let logger = Logger(label: "test-database")

    /// The started cluster and a client of its `postgres` database, which creates and drops the others.
    private struct Cluster: Sendable {
        let postgres: EmbeddedPostgres
        let admin: PostgresClient
    }

    /// A new, empty database.
    public func makeDatabase() async throws -> DatabaseSettings {
        let cluster = try await startedCluster()
        let name = try await createDatabase(template: nil, in: cluster)
        return cluster.postgres.settings(database: name)
    }

    /// A `DATABASE_URL` for a new, empty database.
    public func makeDatabaseURL() async throws -> String {
        let cluster = try await startedCluster()
        let name = try await createDatabase(template: nil, in: cluster)
        return "postgres://\(EmbeddedPostgres.superuser)@localhost/\(name)?host=\(cluster.postgres.socketDirectory)"
    }

    /// A new database with the schemas of `migrators`, copied from their template; the caller drops it
    /// with ``dropDatabase(_:)``.
    /// - Returns: the database's name and its connection settings.
    func makeDatabase(migratedWith migrators: [Migrator]) async throws -> (name: String, settings: DatabaseSettings) {
        let cluster = try await startedCluster()
        let template = migrators.isEmpty ? nil : try await self.template(migratedWith: migrators, in: cluster)
        let name = try await createDatabase(template: template, in: cluster)
        return (name, cluster.postgres.settings(database: name))
    }

    /// Drops a database made by ``makeDatabase(migratedWith:)``, closing any connection still open to it.
    func dropDatabase(_ name: String) async throws {
        let cluster = try await startedCluster()
        try await cluster.admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
    }

    /// Creates `test_N`, a copy of `template` or an empty database.
    private func createDatabase(template: String?, in cluster: Cluster) async throws -> String {
        counter += 1
        let name = "test_\(counter)"
        // Names are made here from digits and hex; identifiers cannot be bound as parameters.
        let copy = template.map { " TEMPLATE \($0)" } ?? ""
        try await cluster.admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)\(copy)"), logger: logger)
        return name
    }

    /// The template with the schemas of `migrators`, created and migrated on first use.
    private func template(migratedWith migrators: [Migrator], in cluster: Cluster) async throws -> String {
        let key = Self.templateKey(migrators)
        if let template = templates[key] { return try await template.value }
        let hash = SHA256.hash(data: Data(key.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        let name = "template_\(hash)"
        let logger = logger
        let task = Task {
            try await cluster.admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            let client = PostgresClient(configuration: cluster.postgres.settings(database: name).configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                for migrator in migrators {
                    try await migrator.migrate(on: client, logger: logger)
                }
            }
            // The group has waited for the client to close its connections: PostgreSQL copies a database
            // only while nobody is connected to it, and from now on nobody can connect.
            try await cluster.admin.query(
                PostgresQuery(unsafeSQL: "ALTER DATABASE \(name) WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"),
                logger: logger
            )
            return name
        }
        templates[key] = task
        return try await task.value
    }

    /// What identifies a migrated schema: every migrator's schema and every migration's version, name and
    /// statements, so migrators that differ in anything get templates of their own.
    static func templateKey(_ migrators: [Migrator]) -> String {
        migrators.map { migrator in
            ([migrator.schema]
                + migrator.migrations.map {
                    "\($0.version)\u{1F}\($0.name)\u{1F}\($0.statements.joined(separator: "\u{1F}"))"
                })
                .joined(separator: "\u{1E}")
        }
        .joined(separator: "\u{1D}")
    }

    /// The cluster, started once: concurrent first callers share one start-up task.
    private func startedCluster() async throws -> Cluster {
        if let cluster { return try await cluster.value }
        let logger = logger
        let task = Task {
            let postgres = try EmbeddedPostgres(dataDirectory: Self.root, isEphemeral: true)
            TestDatabaseCleanup.register(postgres)
            try await postgres.start(logger: logger)
            let admin = PostgresClient(configuration: postgres.settings(database: "postgres").configuration)
            // Runs for the life of the test process; the cleanup shell stops the cluster after it.
            Task.detached { await admin.run() }
            return Cluster(postgres: postgres, admin: admin)
        }
        cluster = task
        return try await task.value
    }
}

/// Stops the test cluster and removes its files once the test process has exited, however it exits:
/// a detached shell waits for the process to disappear, then cleans up.
enum TestDatabaseCleanup {
    static func register(_ cluster: EmbeddedPostgres) {
        let stop = cluster.immediateStopCommand.map { "'\($0)'" }.joined(separator: " ")
        let script =
            "while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done; \(stop) >/dev/null 2>&1; rm -rf '\(TestDatabase.root)'"
        DetachedShell.run(script)
    }
}
