import Hummingbird
import Logging
import PostgresNIO
import Shared

/// The Users service: profiles, user search and avatars. Owns the `users` schema and the avatar pictures.
public enum UsersService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        store: some ProfileStore,
        blobs: some BlobStore,
        media: MediaLinks,
        avatarMaxSize: Int,
        internalToken: String,
        database: PostgresClient?
    )
        -> Router<MessengerRequestContext>
    {
        let router = ServiceRouter.make(service: "users", internalToken: internalToken, database: database)
        let users = router.group("users", context: AuthenticatedRequestContext.self)
        ProfileRoutes(store: store).addRoutes(to: users)
        AvatarRoutes(profiles: store, blobs: blobs, media: media, maxSize: avatarMaxSize).addRoutes(to: users)
        InternalProfileRoutes(store: store).addRoutes(to: router.group("internal"))
        return router
    }

    /// Builds the service's application on `config.internalHost:config.usersPort`, migrating its schema
    /// before it accepts requests.
    public static func makeApplication(
        config: MessengerConfig,
        internalToken: String,
        database: PostgresClient,
        inProcess: InProcessServices? = nil,
        logger: Logger
    )
        -> some ApplicationProtocol
    {
        let router: Router<MessengerRequestContext>
        if let s3 = config.s3 {
            let media = MediaLinks(baseURL: s3.publicBaseURL)
            router = makeRouter(
                store: PostgresProfileStore(client: database, media: media),
                blobs: S3BlobStore(settings: s3),
                media: media,
                avatarMaxSize: config.avatarMaxSize,
                internalToken: internalToken,
                database: database
            )
        } else {
            let media = MediaLinks(baseURL: config.resolvedMediaURL)
            router = makeRouter(
                store: PostgresProfileStore(client: database, media: media),
                blobs: LocalBlobStore(directory: config.mediaDirectory),
                media: media,
                avatarMaxSize: config.avatarMaxSize,
                internalToken: internalToken,
                database: database
            )
        }
        return ServiceRouter.makeApplication(
            router: router,
            service: "users",
            host: config.internalHost,
            port: config.usersPort,
            timeouts: config.httpTimeouts,
            migrator: UsersMigrations.migrator,
            database: database,
            inProcess: inProcess,
            logger: logger
        )
    }
}
