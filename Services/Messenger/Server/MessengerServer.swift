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
    ) async throws {
        try checkPorts()
        let secrets = try Secrets(config: config, services: services)
        let database = try await startDatabase()
        let httpClient = Self.makeHTTPClient()
        var failure: (any Error)?
        do {
            let environment = makeEnvironment(secrets: secrets, httpClient: httpClient)
            var group: [any Service] = []
            if let database { group.append(database.client) }
            group += try await makeApplications(environment: environment, secrets: secrets, database: database?.client)
            group.append(MemoryTrimmer())
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
            try await serviceGroup.run()
        } catch {
            failure = error
        }
        try? await httpClient.shutdown()
        if let embedded = database?.embedded { await embedded.stop(logger: logger) }
        if let failure { throw failure }
    }

    /// The database every service needs (the gateway reads the events outbox): `DATABASE_URL`, or the
    /// embedded cluster, started here and stopped by ``run(signals:onStart:)``.
    func startDatabase() async throws -> (client: PostgresClient, embedded: EmbeddedPostgres?)? {
        guard !services.isEmpty else { return nil }
        if let url = config.databaseURL {
            let settings = try DatabaseSettings(url: url)
            return (PostgresClient(configuration: settings.configuration, backgroundLogger: logger), nil)
        }
        let cluster = try EmbeddedPostgres(
            dataDirectory: config.dataDirectory,
            binDirectory: config.postgresBinDirectory,
            systemUser: config.postgresUser
        )
        try await cluster.start(logger: logger)
        do {
            try await cluster.createDatabase("messenger", logger: logger)
        } catch {
            await cluster.stop(logger: logger)
            throw EmbeddedPostgresError("PostgreSQL cannot be used: \(String(reflecting: error))")
        }
        let settings = cluster.settings(database: "messenger")
        return (PostgresClient(configuration: settings.configuration, backgroundLogger: logger), cluster)
    }

    /// The one HTTP client of the process, for calls to services of other processes.
    static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        // An instance that refuses connections fails the call at once, so the caller can move to another
        // instance instead of waiting out its timeout while the pool keeps retrying.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// What every service of this process is built with: the services it runs as ``LocalService``s
    /// (unless `IN_PROCESS_CALLS=false`), and the transport that reaches them and every other instance.
    func makeEnvironment(secrets: Secrets, httpClient: HTTPClient) -> ServiceEnvironment {
        var local: [ServiceName: LocalService] = [:]
        if config.inProcessCalls {
            for service in services where service != .gateway {
                let (host, port) = config.listenAddress(of: service)
                local[service] = LocalService(service, host: host, port: port)
            }
        }
        let transport = ServiceTransport(
            config: config,
            local: Array(local.values),
            internalToken: secrets.internalToken,
            httpClient: httpClient
        )
        return ServiceEnvironment(config: config, transport: transport, local: local, logger: logger)
    }

    /// The applications of the selected services, the gateway last (it stops first).
    func makeApplications(
        environment: ServiceEnvironment,
        secrets: Secrets,
        database: PostgresClient?
    ) async throws -> [any Service] {
        var applications: [any Service] = []
        if let database {
            if services.contains(.auth), let keys = secrets.auth {
                applications.append(try await AuthService.makeApplication(environment, keys: keys, database: database))
            }
            if services.contains(.users) {
                applications.append(UsersService.makeApplication(environment, database: database))
            }
            if services.contains(.chat) {
                applications.append(PrivateChatService.makeApplication(environment, database: database))
            }
        }
        if services.contains(.gateway), let database {
            applications.append(try GatewayService.makeApplication(environment, database: database))
        }
        return applications
    }

    func checkPorts() throws {
        for service in services.sorted() {
            let (host, port) = config.listenAddress(of: service)
            guard PortCheck.isFree(host: host, port: port) else {
                throw StartupError("port \(port) on \(host) (\(service.rawValue)) is already in use")
            }
        }
    }
}
