import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import PostgresNIO
import Shared

/// The Auth service: credentials, sessions and access tokens. Owns the `auth` schema.
public enum AuthService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        accounts: some AccountStore,
        sessions: some SessionStore,
        profiles: some ProfileRegistrar,
        hasher: PasswordHasher,
        issuer: TokenIssuer,
        sessionLifetime: Int,
        internalToken: String,
        database: PostgresClient?
    ) -> Router<MessengerRequestContext> {
        let router = ServiceRouter.make(service: "auth", internalToken: internalToken, database: database)
        // Everything Auth answers from here on (tokens, QR tickets and exchanges, Yandex sign-ins) is a
        // credential or leads to one: no cache may keep it.
        router.add(middleware: NoStoreMiddleware())
        AccountRoutes(
            accounts: accounts,
            sessions: sessions,
            profiles: profiles,
            hasher: hasher,
            sessionIssuer: SessionIssuer(sessions: sessions, issuer: issuer, sessionLifetime: sessionLifetime)
        ).addRoutes(to: router.group("auth"))
        InternalAuthRoutes(sessions: sessions, signingKey: issuer.signingKey).addRoutes(to: router.group("internal"))
        return router
    }

    /// Adds QR-code login to an Auth router: the ticket, the hub, the exchange and the QR images.
    /// - Returns: the hub route, for the gateway of this process to hand its clients to
    ///   (``InProcessServices``), logging to `logger`.
    @discardableResult
    public static func addQRLogin(
        to router: Router<MessengerRequestContext>,
        sealer: QRTicketSealer,
        grants: some QRGrantStore,
        hubs: QRHubRegistry,
        directory: some UserDirectory,
        sessions: some SessionStore,
        issuer: TokenIssuer,
        sessionLifetime: Int,
        loginURLTemplate: String,
        logger: Logger
    ) -> InProcessServices.WebSocketHandler {
        let routes = QRLoginRoutes(
            sealer: sealer,
            grants: grants,
            hubs: hubs,
            directory: directory,
            sessionIssuer: SessionIssuer(sessions: sessions, issuer: issuer, sessionLifetime: sessionLifetime),
            loginURLTemplate: loginURLTemplate
        )
        routes.addRoutes(to: router)
        return routes.hubHandler(logger: logger)
    }

    /// Adds sign-up and sign-in with Yandex ID to an Auth router; without `settings` its routes answer 503.
    public static func addYandexLogin(
        to router: Router<MessengerRequestContext>,
        settings: YandexSettings?,
        provider: (some YandexIdentityProvider)?,
        stateSealer: YandexStateSealer,
        accounts: some AccountStore,
        profiles: some ProfileRegistrar,
        sessions: some SessionStore,
        issuer: TokenIssuer,
        sessionLifetime: Int,
        secureCookies: Bool
    ) {
        YandexRoutes(
            settings: settings,
            provider: provider,
            stateSealer: stateSealer,
            accounts: accounts,
            profiles: profiles,
            sessionIssuer: SessionIssuer(sessions: sessions, issuer: issuer, sessionLifetime: sessionLifetime),
            secureCookies: secureCookies
        ).addRoutes(to: router.group("auth"))
    }

    /// The Yandex client settings, when a client id and secret are configured.
    static func yandexSettings(_ config: MessengerConfig) -> YandexSettings? {
        guard let clientID = config.yandexClientID, let secret = config.yandexClientSecret else { return nil }
        return YandexSettings(
            oauthURL: config.yandexOAuthURL,
            loginURL: config.yandexLoginURL,
            clientID: clientID,
            clientSecret: secret,
            redirectURI: config.yandexRedirectURI
        )
    }

    /// Builds the service's application on `config.internalHost:config.authPort`, migrating its schema
    /// before it accepts requests.
    public static func makeApplication(
        config: MessengerConfig,
        internalToken: String,
        signingKey: SigningKey,
        qrTicketKey: String,
        oauthStateKey: String,
        database: PostgresClient,
        httpClient: HTTPClient,
        inProcess: InProcessServices? = nil,
        logger: Logger
    ) async throws -> some ApplicationProtocol {
        let users = ServiceClient(
            name: "Users",
            baseURL: config.resolvedUsersURL,
            internalToken: internalToken,
            httpClient: httpClient,
            inProcess: inProcess
        )
        let sessions = PostgresSessionStore(client: database)
        let accounts = PostgresAccountStore(client: database)
        let profiles = UsersServiceRegistrar(client: users)
        let issuer = await TokenIssuer(signingKey: signingKey, lifetime: config.accessTokenLifetime)
        let router = makeRouter(
            accounts: accounts,
            sessions: sessions,
            profiles: profiles,
            hasher: PasswordHasher(cost: config.bcryptCost),
            issuer: issuer,
            sessionLifetime: config.refreshTokenLifetime,
            internalToken: internalToken,
            database: database
        )
        var hubSettings = QRHubRegistry.Settings()
        hubSettings.hubsPerAddress = config.qrHubsPerAddress
        hubSettings.hubLifetime = .seconds(config.qrHubLifetime)
        hubSettings.heartbeatInterval = .seconds(config.qrHeartbeatInterval)
        let hubs = QRHubRegistry(settings: hubSettings)
        let grants = PostgresQRGrantStore(client: database)
        let hub = addQRLogin(
            to: router,
            sealer: try QRTicketSealer(base64Key: qrTicketKey),
            grants: grants,
            hubs: hubs,
            directory: UsersServiceDirectory(client: users),
            sessions: sessions,
            issuer: issuer,
            sessionLifetime: config.refreshTokenLifetime,
            loginURLTemplate: config.resolvedQRLoginURL,
            logger: logger.with(service: "auth")
        )
        let yandex = yandexSettings(config)
        addYandexLogin(
            to: router,
            settings: yandex,
            provider: yandex.map { YandexIDClient(settings: $0, http: CurlHTTPClient()) },
            stateSealer: try YandexStateSealer(base64Key: oauthStateKey),
            accounts: accounts,
            profiles: profiles,
            sessions: sessions,
            issuer: issuer,
            sessionLifetime: config.refreshTokenLifetime,
            secureCookies: config.resolvedPublicURL.hasPrefix("https://")
        )
        var app = ServiceRouter.makeApplication(
            router: router,
            service: "auth",
            host: config.internalHost,
            port: config.authPort,
            timeouts: config.httpTimeouts,
            migrator: AuthMigrations.migrator,
            database: database,
            acceptsWebSockets: true,
            webSockets: [WebSocketPaths.qrHub: hub],
            inProcess: inProcess,
            logger: logger
        )
        app.addServices(
            QRHubJanitor(hubs: hubs),
            ExpiredRecordsJanitor(
                logger: logger,
                sweeps: [grants.removeExpired(logger:), accounts.removeExpiredOAuthStates(logger:)]
            )
        )
        return app
    }
}
