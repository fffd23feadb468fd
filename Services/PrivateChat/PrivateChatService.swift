import Hummingbird
import Logging
import PostgresNIO
import Shared

/// The PrivateChat service: conversations between two users and their messages. Owns the `chat` schema.
public enum PrivateChatService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        store: PostgresChatStore,
        directory: some UserDirectory,
        internalToken: String,
        database: PostgresClient?
    ) -> Router<MessengerRequestContext> {
        let router = ServiceRouter.make(service: .chat, internalToken: internalToken, database: database)
        ChatRoutes(store: store, directory: directory)
            .addRoutes(to: router.group("private", context: AuthenticatedRequestContext.self))
        return router
    }

    /// Builds the service's application, migrating its schema before it accepts requests.
    public static func makeApplication(
        _ environment: ServiceEnvironment,
        database: PostgresClient
    ) -> some ApplicationProtocol {
        let router = makeRouter(
            store: PostgresChatStore(client: database),
            directory: UsersServiceDirectory(client: environment.client(of: .users)),
            internalToken: environment.transport.internalToken,
            database: database
        )
        return ServiceRouter.makeApplication(
            router: router,
            service: .chat,
            environment: environment,
            migrator: ChatMigrations.migrator,
            database: database
        )
    }
}
