import AsyncHTTPClient
import Auth
import Foundation
import Gateway
import Hummingbird
import Logging
import PostgresNIO
import PrivateChat
import ServiceLifecycle
import Shared
import UnixSignals
import Users

/// Runs the selected services in one process: `messenger serve`, and the end-to-end tests.
///
/// Start-up checks the ports, the data directory and the database first, so each failure is one clear
/// line. Without `DATABASE_URL` it runs the embedded cluster and stops it after the services. All
/// services share one `PostgresClient` and one `HTTPClient` for internal calls, and run in one
/// `ServiceGroup` that shuts down in reverse order on the given signals: the gateway first (in-flight
/// requests finish), the database last.
public struct MessengerServer: Sendable {
    public var config: MessengerConfig
    public var services: Set<ServiceName>
    public var logger: Logger

    public init(config: MessengerConfig, services: Set<ServiceName> = Set(ServiceName.allCases), logger: Logger) {
        self.config = config
        self.services = services
        self.logger = logger
    }

    /// Runs until one of `signals` arrives, `onStart`'s group is shut down, or the task is cancelled.
    /// - Parameter onStart: receives the service group once it is built, so an embedding program (the
    ///   tests) can trigger the same graceful shutdown a signal would.
    /// - Throws: ``StartupError``, ``ConfigError`` or ``EmbeddedPostgresError`` when it cannot start.
    public func run(
        signals: [UnixSignal] = [.sigterm, .sigint],
        onStart: @Sendable (ServiceGroup) async -> Void = { _ in }
    )
        async throws
    {
        try checkPorts()
        let secrets = SecretStore(dataDirectory: config.dataDirectory)
        let internalToken = try config.internalToken ?? secrets.secret(named: "internal-token")
        let signingKey =
            services.contains(.auth)
            ? try SigningKey(base64Seed: config.jwtPrivateKey ?? secrets.secret(named: "jwt-ed25519-seed")) : nil
        let qrTicketKey =
            services.contains(.auth) ? try config.qrTicketKey ?? secrets.secret(named: "qr-ticket-key") : ""
        let oauthStateKey =
            services.contains(.auth) ? try config.oauthStateKey ?? secrets.secret(named: "oauth-state-key") : ""

        var embedded: EmbeddedPostgres?
        var database: PostgresClient?
        if !services.isDisjoint(with: [.auth, .users, .chat]) {
            let settings: DatabaseSettings
            if let url = config.databaseURL {
                settings = try DatabaseSettings(url: url)
            } else {
                let cluster = try EmbeddedPostgres(
                    dataDirectory: config.dataDirectory,
                    binDirectory: config.postgresBinDirectory,
                    systemUser: config.postgresUser
                )
                try await cluster.start(logger: logger)
                embedded = cluster
                do {
                    try await cluster.createDatabase("messenger", logger: logger)
                } catch {
                    await cluster.stop(logger: logger)
                    throw EmbeddedPostgresError("PostgreSQL cannot be used: \(String(reflecting: error))")
                }
                settings = cluster.settings(database: "messenger")
            }
            database = PostgresClient(configuration: settings.configuration, backgroundLogger: logger)
        }

        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.decompression = .disabled
        clientConfiguration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 256
        )
        // An instance that refuses connections fails the call at once, so the caller can move to another
        // instance instead of waiting out its timeout while the pool keeps retrying.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)

        // Services of this process call each other without a socket (see InProcessServices).
        let inProcess = config.inProcessCalls ? InProcessServices() : nil
        var group: [any Service] = []
        if let database { group.append(database) }
        if let database, let signingKey, services.contains(.auth) {
            group.append(
                try await AuthService.makeApplication(
                    config: config,
                    internalToken: internalToken,
                    signingKey: signingKey,
                    qrTicketKey: qrTicketKey,
                    oauthStateKey: oauthStateKey,
                    database: database,
                    httpClient: httpClient,
                    inProcess: inProcess,
                    logger: logger
                )
            )
        }
        if let database, services.contains(.users) {
            group.append(
                UsersService.makeApplication(
                    config: config,
                    internalToken: internalToken,
                    database: database,
                    inProcess: inProcess,
                    logger: logger
                )
            )
        }
        if let database, services.contains(.chat) {
            group.append(
                PrivateChatService.makeApplication(
                    config: config,
                    internalToken: internalToken,
                    database: database,
                    httpClient: httpClient,
                    inProcess: inProcess,
                    logger: logger
                )
            )
        }
        if services.contains(.gateway) {
            group.append(
                GatewayService.makeApplication(
                    config: config,
                    internalToken: internalToken,
                    httpClient: httpClient,
                    inProcess: inProcess,
                    logger: logger
                )
            )
        }
        logger.info(
            "messenger.starting",
            metadata: ["services": .string(services.sorted().map(\.rawValue).joined(separator: ","))]
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: group,
            gracefulShutdownSignals: signals,
            logger: logger
        )
        // Open WebSockets or stuck upstream calls must not hold a shutdown forever: after this, the
        // remaining work is cancelled.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(15)
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        await onStart(serviceGroup)
        var failure: (any Error)?
        do {
            try await serviceGroup.run()
        } catch {
            failure = error
        }
        try? await httpClient.shutdown()
        if let embedded { await embedded.stop(logger: logger) }
        if let failure { throw failure }
    }

    func checkPorts() throws {
        var wanted: [(String, String, Int)] = []
        if services.contains(.gateway) { wanted.append(("gateway", config.host, config.port)) }
        if services.contains(.auth) { wanted.append(("auth", config.internalHost, config.authPort)) }
        if services.contains(.users) { wanted.append(("users", config.internalHost, config.usersPort)) }
        if services.contains(.chat) { wanted.append(("chat", config.internalHost, config.chatPort)) }
        for (name, host, port) in wanted where !PortCheck.isFree(host: host, port: port) {
            throw StartupError("port \(port) on \(host) (\(name)) is already in use")
        }
    }
}
