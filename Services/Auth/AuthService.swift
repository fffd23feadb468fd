import AsyncHTTPClient
import Hummingbird
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
        AccountRoutes(
            accounts: accounts,
            sessions: sessions,
            profiles: profiles,
            hasher: hasher,
            issuer: issuer,
            sessionLifetime: sessionLifetime
        ).addRoutes(to: router.group("auth"))
        InternalAuthRoutes(sessions: sessions, signingKey: issuer.signingKey).addRoutes(to: router.group("internal"))
        return router
    }

    /// Builds the service's application on `config.internalHost:config.authPort`, migrating its schema
    /// before it accepts requests.
    public static func makeApplication(
        config: MessengerConfig,
        internalToken: String,
        signingKey: SigningKey,
        database: PostgresClient,
        httpClient: HTTPClient,
        logger: Logger
    ) async -> some ApplicationProtocol {
        let users = ServiceClient(
            name: "Users",
            baseURL: config.resolvedUsersURL,
            internalToken: internalToken,
            httpClient: httpClient
        )
        let router = makeRouter(
            accounts: PostgresAccountStore(client: database),
            sessions: PostgresSessionStore(client: database),
            profiles: UsersServiceRegistrar(client: users),
            hasher: PasswordHasher(cost: config.bcryptCost),
            issuer: await TokenIssuer(signingKey: signingKey, lifetime: config.accessTokenLifetime),
            sessionLifetime: config.refreshTokenLifetime,
            internalToken: internalToken,
            database: database
        )
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(config.internalHost, port: config.authPort), serverName: nil),
            logger: logger.with(service: "auth")
        )
        app.beforeServerStarts {
            try await AuthMigrations.migrator.migrate(on: database, logger: logger)
        }
        return app
    }
}
