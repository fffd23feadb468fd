import AsyncHTTPClient
import Hummingbird
import Logging
import PostgresNIO
import Shared

/// The PrivateChat service: conversations between two users and their messages. Owns the `chat` schema.
public enum PrivateChatService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        store: some ChatStore,
        directory: some UserDirectory,
        internalToken: String,
        database: PostgresClient?
    ) -> Router<MessengerRequestContext> {
        let router = ServiceRouter.make(service: "chat", internalToken: internalToken, database: database)
        ChatRoutes(store: store, directory: directory)
            .addRoutes(to: router.group("private", context: AuthenticatedRequestContext.self))
        return router
    }

    /// Builds the service's application on `config.internalHost:config.chatPort`, migrating its schema
    /// before it accepts requests.
    public static func makeApplication(
        config: MessengerConfig,
        internalToken: String,
        database: PostgresClient,
        httpClient: HTTPClient,
        inProcess: InProcessServices? = nil,
        logger: Logger
    ) -> some ApplicationProtocol {
        let users = ServiceClient(
            name: "Users",
            baseURL: config.resolvedUsersURL,
            internalToken: internalToken,
            httpClient: httpClient,
            inProcess: inProcess
        )
        let router = makeRouter(
            store: PostgresChatStore(client: database),
            directory: UsersServiceDirectory(client: users),
            internalToken: internalToken,
            database: database
        )
        return ServiceRouter.makeApplication(
            router: router,
            service: "chat",
            host: config.internalHost,
            port: config.chatPort,
            timeouts: config.httpTimeouts,
            migrator: ChatMigrations.migrator,
            database: database,
            inProcess: inProcess,
            logger: logger
        )
    }
}
