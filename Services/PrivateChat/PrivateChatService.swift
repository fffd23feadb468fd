import Hummingbird
import Logging
import PostgresNIO
import Shared

/// The PrivateChat service: private chats between two users and group chats, their members and their
/// messages. Owns the `chat` schema.
public enum PrivateChatService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        store: PostgresChatStore,
        directory: some UserDirectory,
        groupMaxMembers: Int = 100,
        internalToken: String,
        database: PostgresClient?,
        waker: OutboxWaker? = nil
    ) -> Router<MessengerRequestContext> {
        let router = ServiceRouter.make(service: .chat, internalToken: internalToken, database: database)
        if let waker { router.add(middleware: OutboxWakeMiddleware(waker: waker)) }
        let chats = router.group("private", context: AuthenticatedRequestContext.self)
        ChatRoutes(store: store, directory: directory).addRoutes(to: chats)
        GroupRoutes(store: store, directory: directory, maxMembers: groupMaxMembers).addRoutes(to: chats)
        InternalChatRoutes(store: store).addRoutes(to: router)
        return router
    }

    /// Builds the service's application, migrating its schema before it accepts requests, with the
    /// ``OutboxWaker`` that tells the gateways about the events its changes commit, and the cache of the
    /// user summaries its pages show (kept true by a ``ProfileChangeListener``).
    public static func makeApplication(
        _ environment: ServiceEnvironment,
        database: PostgresClient
    ) -> some ApplicationProtocol {
        let logger = environment.logger.with(service: .chat)
        let waker = OutboxWaker(client: database, logger: logger)
        let users = UsersServiceDirectory(client: environment.client(of: .users))
        let cache = UserSummaryCache(lifetime: .seconds(environment.config.userCacheSeconds))
        let router = makeRouter(
            store: PostgresChatStore(client: database),
            directory: CachedUserDirectory(base: users, cache: cache),
            groupMaxMembers: environment.config.groupMaxMembers,
            internalToken: environment.transport.internalToken,
            database: database,
            waker: waker
        )
        var app = ServiceRouter.makeApplication(
            router: router,
            service: .chat,
            environment: environment,
            migrators: [ChatMigrations.migrator, EventsMigrations.migrator],
            database: database
        )
        app.addServices(waker, ProfileChangeListener(database: database, cache: cache, logger: logger))
        return app
    }
}
