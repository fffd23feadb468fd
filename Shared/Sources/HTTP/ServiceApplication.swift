import Hummingbird
import HummingbirdWebSocket
import Logging
import PostgresNIO

extension ServiceRouter {
    /// The application of an internal service: its router on `host:port` (with WebSocket upgrades when
    /// `acceptsWebSockets`) with the connection deadlines of `timeouts`, its schema migrated by `migrator` before it accepts requests, and its log
    /// lines tagged with `service`. Once it listens, it is also reachable in-process through `inProcess`
    /// at `http://host:port` (the URL the other services of this process call it at), with its
    /// `webSockets` routes.
    public static func makeApplication(
        router: Router<MessengerRequestContext>,
        service: String,
        host: String,
        port: Int,
        timeouts: HTTPTimeouts,
        migrator: Migrator,
        database: PostgresClient,
        acceptsWebSockets: Bool = false,
        webSockets: [String: InProcessServices.WebSocketHandler] = [:],
        inProcess: InProcessServices? = nil,
        logger: Logger
    ) -> Application<MethodCheckingResponder<MessengerRequestContext>> {
        let responder = MethodCheckingResponder(router: router)
        let serviceLogger = logger.with(service: service)
        var app = Application(
            responder: responder,
            server: acceptsWebSockets
                ? .guardedHTTP1WebSocketUpgrade(webSocketRouter: router, timeouts: timeouts)
                : .guardedHTTP1(timeouts: timeouts),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            // Registered only now, as the socket opens: before, the schema may not be migrated yet.
            onServerRunning: { _ in
                inProcess?.register(
                    responder,
                    webSockets: webSockets,
                    at: "http://\(host):\(port)",
                    logger: serviceLogger
                )
            },
            logger: serviceLogger
        )
        app.beforeServerStarts {
            try await migrator.migrate(on: database, logger: logger)
        }
        return app
    }
}
