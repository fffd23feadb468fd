import Hummingbird
import HummingbirdWebSocket
import Logging
import PostgresNIO

extension ServiceRouter {
    /// The application of an internal service: its router on `host:port` (with WebSocket upgrades when
    /// `acceptsWebSockets`), its schema migrated by `migrator` before it accepts requests, and its log
    /// lines tagged with `service`.
    public static func makeApplication(
        router: Router<MessengerRequestContext>,
        service: String,
        host: String,
        port: Int,
        migrator: Migrator,
        database: PostgresClient,
        acceptsWebSockets: Bool = false,
        logger: Logger
    ) -> Application<RouterResponder<MessengerRequestContext>> {
        var app = Application(
            router: router,
            server: acceptsWebSockets ? .http1WebSocketUpgrade(webSocketRouter: router) : .http1(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            logger: logger.with(service: service)
        )
        app.beforeServerStarts {
            try await migrator.migrate(on: database, logger: logger)
        }
        return app
    }
}
