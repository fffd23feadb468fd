import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import PostgresNIO
import Shared

/// The gateway: the one public entry. Verifies tokens, forwards to the services, answers `/health`
/// and `/gateway/get-token/`, and serves locally stored avatars under `/media/`.
public enum GatewayService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        transport: ServiceTransport,
        verifier: TokenVerifier,
        maxBodySize: Int,
        mediaDirectory: String? = nil,
        trustedProxies: TrustedProxies = .loopback,
        docs: APIDocsRoutes? = nil,
        realtime: RealtimeRoutes? = nil,
        activity: ActiveUsers? = nil,
        logger: Logger = Logger(label: "gateway")
    ) -> Router<MessengerRequestContext> {
        let router = Router(context: MessengerRequestContext.self)
        router.add(middleware: RequestLogMiddleware(addressSource: .edge, trustedProxies: trustedProxies))
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: QueryTextMiddleware())
        router.add(
            middleware: ProxyMiddleware(
                transport: transport,
                verifier: verifier,
                maxBodySize: maxBodySize,
                activity: activity
            )
        )
        if let mediaDirectory {
            router.add(middleware: MediaFileMiddleware(directory: mediaDirectory, logger: logger))
        }
        GatewayRoutes(verifier: verifier, transport: transport).addRoutes(to: router)
        HubRelay(transport: transport).addRoutes(to: router)
        docs?.addRoutes(to: router)
        realtime?.addRoutes(to: router)
        return router
    }

    /// Builds the gateway's application on `config.host:config.port`, with the revocation poller, the
    /// API contract (its viewers when their files are installed, see ``APIDocsAssets``), the
    /// real-time WebSocket with its outbox reader (the events schema is migrated before it listens), and
    /// the presence reporter.
    /// - Throws: ``APIDocumentError`` when the contract compiled in does not parse.
    public static func makeApplication(
        _ environment: ServiceEnvironment,
        database: PostgresClient
    ) throws -> some ApplicationProtocol {
        let config = environment.config
        let transport = environment.transport
        let logger = environment.logger.with(service: .gateway)
        let auth = environment.client(of: .auth)
        let revocations = RevocationList(tokenLifetime: TimeInterval(config.accessTokenLifetime))
        let verifier = TokenVerifier(source: AuthServiceKeySource(client: auth), revocations: revocations)
        let registry = ConnectionRegistry()
        let activity = ActiveUsers()
        let events = PostgresEventStore(client: database)
        let settings = RealtimeSettings(config: config)
        let router = makeRouter(
            transport: transport,
            verifier: verifier,
            maxBodySize: config.maxBodySize,
            mediaDirectory: config.s3 == nil ? config.mediaDirectory : nil,
            trustedProxies: config.trustedProxies,
            docs: APIDocsRoutes(
                contract: try APIContract.embedded(),
                assets: APIDocsAssets.load(from: config.apiDocsAssets),
                assetsDirectory: config.apiDocsAssets
            ),
            realtime: RealtimeRoutes(
                registry: registry,
                store: events,
                verifier: verifier,
                chat: environment.client(of: .chat),
                users: UsersServiceDirectory(client: environment.client(of: .users)),
                settings: settings,
                publicURL: config.publicURL
            ),
            activity: activity,
            logger: logger
        )
        var app = Application(
            responder: MethodCheckingResponder(router: router),
            server: .guardedHTTP1WebSocketUpgrade(
                webSocketRouter: router,
                timeouts: config.httpTimeouts,
                webSockets: .gateway
            ),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
            logger: logger
        )
        app.addServices(
            RevocationPoller(client: auth, list: revocations, logger: logger),
            OutboxReader(
                store: events,
                database: database,
                registry: registry,
                settings: settings,
                revocations: revocations,
                logger: logger
            ),
            PresenceReporter(
                active: activity,
                registry: registry,
                users: environment.client(of: .users),
                contacts: ChatServiceContacts(client: environment.client(of: .chat)),
                store: events,
                interval: .milliseconds(config.presenceFlushInterval),
                logger: logger
            )
        )
        app.beforeServerStarts {
            try await EventsMigrations.migrator.migrate(on: database, logger: logger)
            // Connections opened from now on get what comes after the outbox's present end.
            registry.start(at: try await events.lastPosition(logger: logger))
        }
        return app
    }
}
