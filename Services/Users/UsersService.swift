import Hummingbird
import Logging
import PostgresNIO
import Shared

/// The Users service: profiles and user search. Owns the `users` schema.
public enum UsersService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        store: some ProfileStore,
        internalToken: String,
        database: PostgresClient?
    )
        -> Router<MessengerRequestContext>
    {
        let router = ServiceRouter.make(service: "users", internalToken: internalToken, database: database)
        ProfileRoutes(store: store).addRoutes(to: router.group("users", context: AuthenticatedRequestContext.self))
        InternalProfileRoutes(store: store).addRoutes(to: router.group("internal"))
        return router
    }

    /// Builds the service's application on `config.internalHost:config.usersPort`, migrating its schema
    /// before it accepts requests.
    public static func makeApplication(
        config: MessengerConfig,
        internalToken: String,
        database: PostgresClient,
        logger: Logger
    )
        -> some ApplicationProtocol
    {
        let router = makeRouter(
            store: PostgresProfileStore(client: database),
            internalToken: internalToken,
            database: database
        )
        return ServiceRouter.makeApplication(
            router: router,
            service: "users",
            host: config.internalHost,
            port: config.usersPort,
            migrator: UsersMigrations.migrator,
            database: database,
            logger: logger
        )
    }
}
