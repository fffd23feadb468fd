import Hummingbird
import Logging
import PostgresNIO
import Shared

/// The Users service: profiles, user search, avatars and presence. Owns the `users` schema and the avatar
/// pictures.
public enum UsersService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        store: PostgresProfileStore,
        blobs: some BlobStore,
        media: MediaLinks,
        contacts: some ContactDirectory,
        avatarMaxSize: Int,
        internalToken: String,
        database: PostgresClient?,
        waker: OutboxWaker? = nil
    )
        -> Router<MessengerRequestContext>
    {
        let router = ServiceRouter.make(service: .users, internalToken: internalToken, database: database)
        if let waker { router.add(middleware: OutboxWakeMiddleware(waker: waker)) }
        let users = router.group("users", context: AuthenticatedRequestContext.self)
        ProfileRoutes(store: store).addRoutes(to: users)
        AvatarRoutes(profiles: store, blobs: blobs, media: media, contacts: contacts, maxSize: avatarMaxSize)
            .addRoutes(to: users)
        InternalProfileRoutes(store: store).addRoutes(to: router)
        InternalPresenceRoutes(store: PostgresPresenceStore(client: store.client)).addRoutes(to: router)
        return router
    }

    /// Builds the service's application, migrating its schema (and the events outbox it appends
    /// `USER_UPDATE` to) before it accepts requests. Avatars go to S3-compatible storage when configured,
    /// else under `DATA_DIR/media`.
    public static func makeApplication(
        _ environment: ServiceEnvironment,
        database: PostgresClient
    ) -> some ApplicationProtocol {
        let config = environment.config
        let waker = OutboxWaker(client: database, logger: environment.logger.with(service: .users))
        let blobs: any BlobStore =
            config.s3.map { S3BlobStore(settings: $0) } ?? LocalBlobStore(directory: config.mediaDirectory)
        let media = MediaLinks(baseURL: config.s3?.publicBaseURL ?? config.resolvedMediaURL)
        let router = makeRouter(
            store: PostgresProfileStore(client: database, media: media),
            blobs: blobs,
            media: media,
            contacts: ChatServiceContacts(client: environment.client(of: .chat)),
            avatarMaxSize: config.avatarMaxSize,
            internalToken: environment.transport.internalToken,
            database: database,
            waker: waker
        )
        var app = ServiceRouter.makeApplication(
            router: router,
            service: .users,
            environment: environment,
            migrators: [UsersMigrations.migrator, EventsMigrations.migrator],
            database: database
        )
        app.addServices(waker)
        return app
    }
}
