import Foundation
import Logging
import PostgresNIO

/// A private PostgreSQL cluster under `DATA_DIR/postgres`, run with the system's `initdb` and `pg_ctl`.
///
/// It listens on a Unix socket inside its own directory only (no TCP port, nothing to collide with),
/// trusts local connections (the socket directory is private), and, when `messenger` runs as root,
/// runs as an unprivileged system user because PostgreSQL refuses to run as root. It is created on
/// first start and reused afterwards; ``stop(logger:)`` shuts it down.
public struct EmbeddedPostgres: Sendable {
    /// The role `initdb` creates and the services connect as.
    public static let superuser = "messenger"

    /// `DATA_DIR/postgres`.
    public let directory: String
    /// The cluster's data (`PGDATA`).
    public var dataPath: String { directory + "/data" }
    /// Where the server puts its socket.
    public var socketDirectory: String { directory + "/run" }
    /// The server's log file.
    public var logPath: String { directory + "/postgres.log" }

    let binDirectory: String
    let systemUser: String?
    let isEphemeral: Bool

    /// Prepares (but does not start) the cluster.
    /// - Parameters:
    ///   - dataDirectory: `DATA_DIR`; made absolute.
    ///   - binDirectory: where `initdb` and `pg_ctl` are; the newest `/usr/lib/postgresql/*/bin` when `nil`.
    ///   - systemUser: the user to run as when the current process is root.
    ///   - isEphemeral: trade durability for speed (`fsync=off`), for test clusters only.
    /// - Throws: ``EmbeddedPostgresError`` when PostgreSQL is not installed or the directory is unusable.
    public init(
        dataDirectory: String,
        binDirectory: String? = nil,
        systemUser: String = "postgres",
        isEphemeral: Bool = false
    )
        throws
    {
        let absolute = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        directory = absolute + "/postgres"
        guard let bin = binDirectory ?? Self.findBinDirectory() else {
            throw EmbeddedPostgresError(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install the 'postgresql' package or set PG_BIN_DIR"
            )
        }
        guard FileManager.default.isExecutableFile(atPath: bin + "/initdb"),
            FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl")
        else {
            throw EmbeddedPostgresError("PG_BIN_DIR \(bin) has no initdb and pg_ctl")
        }
        self.binDirectory = bin
        self.systemUser = geteuid() == 0 ? systemUser : nil
        self.isEphemeral = isEphemeral
        if (socketDirectory + "/.s.PGSQL.5432").utf8.count > 107 {
            throw EmbeddedPostgresError("DATA_DIR \(absolute) is too long for a Unix socket path: choose a shorter one")
        }
    }

    /// Settings to connect to `database` in this cluster.
    public func settings(database: String) -> DatabaseSettings {
        .unixSocket(directory: socketDirectory, user: Self.superuser, database: database)
    }

    /// Creates the cluster if needed and starts it, or adopts it if it is already running.
    /// - Throws: ``EmbeddedPostgresError`` with a one-line reason (and the log's last lines) when it cannot start.
    public func start(logger: Logger) async throws {
        try prepareDirectory()
        if !FileManager.default.fileExists(atPath: dataPath + "/PG_VERSION") {
            logger.info("postgres.initdb", metadata: ["path": .string(dataPath)])
            let result = try await pgCommand(
                "initdb",
                [
                    "-D", dataPath, "-U", Self.superuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                    "--no-instructions",
                ]
            )
            guard result.status == 0 else {
                throw EmbeddedPostgresError("initdb failed: \(Self.lastLines(result.output))")
            }
            let include = "\ninclude_if_exists = 'messenger.conf'\n"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataPath + "/postgresql.conf"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(include.utf8))
            try handle.close()
        }
        try writeSettings()
        if try await pgCommand("pg_ctl", ["-D", dataPath, "status"]).status == 0 {
            logger.info("postgres.adopted", metadata: ["path": .string(dataPath)])
            return
        }
        let result = try await pgCommand("pg_ctl", ["-D", dataPath, "-l", logPath, "-w", "-t", "60", "start"])
        guard result.status == 0 else {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? result.output
            throw EmbeddedPostgresError("PostgreSQL cannot start: \(Self.lastLines(log))")
        }
        logger.info("postgres.started", metadata: ["socket": .string(socketDirectory)])
    }

    /// Stops the cluster (fast shutdown: open transactions roll back, data is kept).
    public func stop(logger: Logger) async {
        let result = try? await pgCommand("pg_ctl", ["-D", dataPath, "-m", "fast", "-w", "-t", "60", "stop"])
        if result?.status == 0 {
            logger.info("postgres.stopped")
        } else {
            logger.warning("postgres.stop_failed", metadata: ["output": .string(result?.output ?? "")])
        }
    }

    /// Creates `name` in the cluster unless it exists.
    /// - Parameter name: a database name of `[a-z0-9_]` characters.
    public func createDatabase(_ name: String, logger: Logger) async throws {
        precondition(name.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") }, "unsafe database name")
        let client = PostgresClient(configuration: settings(database: "postgres").configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let rows = try await client.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
            var exists = false
            for try await _ in rows { exists = true }
            if !exists {
                // The name is checked above; identifiers cannot be bound as parameters.
                try await client.query("CREATE DATABASE \(unescaped: name)", logger: logger)
            }
        }
    }

    private func prepareDirectory() throws {
        let manager = FileManager.default
        let dataDirectory = (directory as NSString).deletingLastPathComponent
        do {
            try manager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            let probe = dataDirectory + "/.write-probe-\(UUID().uuidString)"
            guard manager.createFile(atPath: probe, contents: Data()) else { throw CocoaError(.fileWriteNoPermission) }
            try manager.removeItem(atPath: probe)
            try manager.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            try manager.createDirectory(
                atPath: socketDirectory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw EmbeddedPostgresError("data directory \(dataDirectory) is not writable")
        }
        if let systemUser {
            guard getpwnam(systemUser) != nil else {
                throw EmbeddedPostgresError(
                    "system user '\(systemUser)' does not exist: install postgresql or set PG_USER"
                )
            }
            for path in [directory, socketDirectory] {
                try manager.setAttributes([.ownerAccountName: systemUser], ofItemAtPath: path)
            }
            let canReach = ProcessRunner.runBlockingOrNil("/usr/bin/test", ["-w", directory], asUser: systemUser)
            guard canReach == 0 else {
                throw EmbeddedPostgresError(
                    "\(directory) is not reachable by user '\(systemUser)': every parent directory must be searchable by it"
                )
            }
        }
    }

    private func writeSettings() throws {
        var lines = [
            "listen_addresses = ''",
            "unix_socket_directories = '\(socketDirectory)'",
            "port = 5432",
            "max_connections = 200",
        ]
        if isEphemeral {
            lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        }
        let path = dataPath + "/messenger.conf"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        if let systemUser {
            try FileManager.default.setAttributes([.ownerAccountName: systemUser], ofItemAtPath: path)
        }
    }

    private func pgCommand(_ name: String, _ arguments: [String]) async throws -> ProcessRunner.Outcome {
        try await ProcessRunner.run(binDirectory + "/" + name, arguments, asUser: systemUser)
    }

    static func findBinDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    static func lastLines(_ text: String, count: Int = 3) -> String {
        text.split(separator: "\n").suffix(count).joined(separator: " | ")
    }
}

/// Why the embedded cluster could not be used, in one line.
public struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension EmbeddedPostgres {
    /// The command line that stops the cluster at once (immediate mode), for test harnesses that must
    /// clean up after a test process however it ends.
    public var immediateStopCommand: [String] {
        let stop = [binDirectory + "/pg_ctl", "-D", dataPath, "-m", "immediate", "-w", "stop"]
        return systemUser.map { ["/usr/sbin/runuser", "-u", $0, "--"] + stop } ?? stop
    }
}
