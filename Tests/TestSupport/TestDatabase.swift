import Foundation
import Logging
import PostgresNIO
import Shared

/// The test harness's PostgreSQL: one embedded cluster per test process, started by the product's own
/// ``EmbeddedPostgres`` code, and a fresh database for every suite or test that asks for one.
public actor TestDatabase {
    /// The cluster of this test process.
    public static let shared = TestDatabase()

    static let root = "/tmp/messenger-tests-\(getpid())"
    private var cluster: Task<EmbeddedPostgres, any Error>?
    private var counter = 0
    let logger = Logger(label: "test-database")

    /// A new, empty database.
    public func makeDatabase() async throws -> DatabaseSettings {
        let cluster = try await startedCluster()
        counter += 1
        let name = "test_\(counter)"
        try await cluster.createDatabase(name, logger: logger)
        return cluster.settings(database: name)
    }

    /// A `DATABASE_URL` for a new, empty database.
    public func makeDatabaseURL() async throws -> String {
        let cluster = try await startedCluster()
        counter += 1
        let name = "test_\(counter)"
        try await cluster.createDatabase(name, logger: logger)
        return "postgres://\(EmbeddedPostgres.superuser)@localhost/\(name)?host=\(cluster.socketDirectory)"
    }

    /// The cluster, started once: concurrent first callers share one start-up task.
    private func startedCluster() async throws -> EmbeddedPostgres {
        if let cluster { return try await cluster.value }
        let logger = logger
        let task = Task {
            let cluster = try EmbeddedPostgres(dataDirectory: Self.root, isEphemeral: true)
            TestDatabaseCleanup.register(cluster)
            try await cluster.start(logger: logger)
            return cluster
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
