import Hummingbird
import HummingbirdWebSocket
import Logging
import PostgresNIO

extension ServiceRouter {
    /// The application of an internal service: its router on the service's address
    /// (``MessengerConfig/listenAddress(of:)``, with WebSocket upgrades when `acceptsWebSockets`) with the
    /// configured connection deadlines, its schemas migrated by `migrators` (in order) before it accepts requests, and
    /// its log lines tagged with `service`. Once it listens, it also answers the calls of this process as
    /// its ``LocalService``, with its `webSockets` routes.
    public static func makeApplication(
        router: Router<MessengerRequestContext>,
        service: ServiceName,
        environment: ServiceEnvironment,
        migrators: [Migrator],
        database: PostgresClient,
        acceptsWebSockets: Bool = false,
        webSockets: [String: LocalService.WebSocketHandler] = [:]
    ) -> Application<MethodCheckingResponder<MessengerRequestContext>> {
        let responder = MethodCheckingResponder(router: router)
        let logger = environment.logger
        let serviceLogger = logger.with(service: service)
        let (host, port) = environment.config.listenAddress(of: service)
        let timeouts = environment.config.httpTimeouts
        let local = environment.local[service]
        var app = Application(
            responder: responder,
            server: acceptsWebSockets
                ? .guardedHTTP1WebSocketUpgrade(webSocketRouter: router, timeouts: timeouts)
                : .guardedHTTP1(timeouts: timeouts),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            // Served only now, as the socket opens: before, the schema may not be migrated yet.
            onServerRunning: { _ in local?.serve(responder, webSockets: webSockets, logger: serviceLogger) },
            logger: serviceLogger
        )
        app.beforeServerStarts {
            for migrator in migrators { try await migrator.migrate(on: database, logger: logger) }
        }
        return app
    }
}
