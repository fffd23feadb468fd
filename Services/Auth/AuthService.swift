import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// The Auth service: credentials, sessions and access tokens, QR-code login and Yandex sign-in. Owns
/// the `auth` schema.
public enum AuthService {
    /// Builds the router from its dependencies.
    /// - Returns: the router and the QR hub's WebSocket route, which the gateway of this process hands
    ///   its clients to (``LocalService``), logging to `logger`.
    public static func makeRouter(
        _ dependencies: AuthDependencies,
        internalToken: String,
        database: PostgresClient?,
        logger: Logger
    ) -> (router: Router<MessengerRequestContext>, hub: LocalService.WebSocketHandler) {
        let router = ServiceRouter.make(service: .auth, internalToken: internalToken, database: database)
        // Everything Auth answers from here on (tokens, QR tickets and exchanges, Yandex sign-ins) is a
        // credential or leads to one: no cache may keep it.
        router.add(middleware: NoStoreMiddleware())
        let auth = router.group("auth")
        AccountRoutes(
            accounts: dependencies.accounts,
            sessions: dependencies.sessions,
            profiles: dependencies.profiles,
            hasher: dependencies.hasher,
            sessionIssuer: dependencies.sessionIssuer
        ).addRoutes(to: auth)
        InternalAuthRoutes(sessions: dependencies.sessions, signingKey: dependencies.signingKey).addRoutes(to: router)
        let qrLogin = QRLoginRoutes(
            sealer: dependencies.qrSealer,
            grants: dependencies.grants,
            hubs: dependencies.hubs,
            directory: dependencies.directory,
            sessionIssuer: dependencies.sessionIssuer,
            loginURLTemplate: dependencies.qrLoginURLTemplate
        )
        qrLogin.addRoutes(to: router)
        YandexRoutes(
            settings: dependencies.yandex,
            provider: dependencies.yandexProvider,
            stateSealer: dependencies.yandexStateSealer,
            states: dependencies.oauthStates,
            accounts: dependencies.accounts,
            profiles: dependencies.profiles,
            sessionIssuer: dependencies.sessionIssuer,
            secureCookies: dependencies.secureCookies
        ).addRoutes(to: auth)
        return (router, qrLogin.hubHandler(logger: logger))
    }

    /// The periodic work of an Auth instance: QR hub expiry, the sweep of expired one-time records, and
    /// the undoing of registrations a crash left halfway.
    static func backgroundServices(_ dependencies: AuthDependencies, logger: Logger) -> [any Service] {
        [
            QRHubJanitor(hubs: dependencies.hubs),
            ExpiredRecordsJanitor(
                logger: logger,
                sweeps: [
                    dependencies.grants.removeExpired(logger:), dependencies.oauthStates.removeExpired(logger:),
                    { logger in
                        try await UserRegistration(accounts: dependencies.accounts, profiles: dependencies.profiles)
                            .undoAbandoned(logger: logger)
                    },
                ]
            ),
        ]
    }

    /// Builds the service's application, migrating its schema before it accepts requests.
    public static func makeApplication(
        _ environment: ServiceEnvironment,
        keys: Secrets.AuthKeys,
        database: PostgresClient
    ) async throws -> some ApplicationProtocol {
        let users = environment.client(of: .users)
        let dependencies = try await AuthDependencies(
            config: environment.config,
            keys: keys,
            database: database,
            profiles: UsersServiceRegistrar(client: users),
            directory: UsersServiceDirectory(client: users)
        )
        let logger = environment.logger.with(service: .auth)
        let (router, hub) = makeRouter(
            dependencies,
            internalToken: environment.transport.internalToken,
            database: database,
            logger: logger
        )
        var app = ServiceRouter.makeApplication(
            router: router,
            service: .auth,
            environment: environment,
            migrators: [AuthMigrations.migrator],
            database: database,
            acceptsWebSockets: true,
            webSockets: [WebSocketPaths.qrHub: hub]
        )
        app.addServices(backgroundServices(dependencies, logger: environment.logger))
        return app
    }
}
