import ArgumentParser
import Foundation
import Logging
import Messenger
import Shared

/// `messenger`: the one executable of the messenger backend (started by ``MessengerMain``).
struct MessengerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messenger",
        abstract: "A Discord-style messenger backend: Auth, Users, PrivateChat and the Gateway in one binary.",
        subcommands: [Serve.self]
    )
}

/// `messenger serve`: runs all services, or a subset, until SIGINT/SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the services.",
        discussion: """
            Options override environment variables of the same meaning (see the README's configuration table):
            HOST, PORT, INTERNAL_HOST, AUTH_PORT, USERS_PORT, CHAT_PORT, AUTH_URL, USERS_URL, CHAT_URL, DATA_DIR,
            DATABASE_URL, PG_BIN_DIR, PG_USER, BCRYPT_COST, ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, INTERNAL_TOKEN,
            JWT_PRIVATE_KEY, MAX_BODY_SIZE, LOG_LEVEL.
            Without DATABASE_URL an embedded PostgreSQL cluster is created under DATA_DIR and stopped on exit.
            """
    )

    @Option(help: "Services to run: 'all' or a comma-separated subset of auth,users,chat,gateway.")
    var services: String = "all"

    @Option(help: "Gateway address (HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Gateway port (PORT, default 8080).")
    var port: Int?

    @Option(help: "Address of the internal services (INTERNAL_HOST, default 127.0.0.1).")
    var internalHost: String?

    @Option(help: "Auth port (AUTH_PORT, default 8081).")
    var authPort: Int?

    @Option(help: "Users port (USERS_PORT, default 8082).")
    var usersPort: Int?

    @Option(help: "PrivateChat port (CHAT_PORT, default 8083).")
    var chatPort: Int?

    @Option(help: "Data directory for the embedded database, secrets and media (DATA_DIR, default ./.messenger).")
    var dataDir: String?

    @Option(help: "External PostgreSQL URL (DATABASE_URL); without it the embedded cluster runs.")
    var databaseURL: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (LOG_LEVEL, default info).")
    var logLevel: String?

    /// Each option that was given, as the environment variable it overrides: options and variables are
    /// then read and checked by the same code (``MessengerConfig/init(environment:)``).
    var overrides: [String: String] {
        let options: [(variable: String, value: String?)] = [
            ("HOST", host), ("PORT", port.map(String.init)), ("INTERNAL_HOST", internalHost),
            ("AUTH_PORT", authPort.map(String.init)), ("USERS_PORT", usersPort.map(String.init)),
            ("CHAT_PORT", chatPort.map(String.init)), ("DATA_DIR", dataDir), ("DATABASE_URL", databaseURL),
            ("LOG_LEVEL", logLevel),
        ]
        return Dictionary(options.compactMap { option in option.value.map { (option.variable, $0) } }) { _, last in last
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment.merging(overrides) { _, option in option }
        do {
            let config = try MessengerConfig(environment: environment)
            let level = config.logLevel
            LoggingSystem.bootstrap { label in ConsoleLogHandler(label: label, logLevel: level) }
            let selected = try ServiceName.parseList(services)
            try await MessengerServer(config: config, services: selected, logger: Logger(label: "messenger")).run()
        } catch {
            FileHandle.standardError.write(Data("messenger: error: \(Self.describe(error))\n".utf8))
            throw ExitCode.failure
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as StartupError: error.description
        case let error as ConfigError: error.description
        case let error as EmbeddedPostgresError: error.description
        default: String(describing: error)
        }
    }
}
