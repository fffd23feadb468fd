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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A session of its own: the watcher outlives the test process and its terminal signals.
        // POSIX_SPAWN_SETSID (glibc 2.26+) is not imported into Swift; 0x80 is its value.
        posix_spawnattr_setflags(&attributes, 0x80)
        let command: [String] = ["/bin/sh", "-c", script]
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        _ = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, environ)
    }
}
