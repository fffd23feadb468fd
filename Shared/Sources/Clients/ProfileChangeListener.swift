import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps a ``UserSummaryCache`` true to Users: listens on ``ProfileChanges/channel`` on a connection of
/// its own and drops the summary of every user Users announces. A notification sent while nobody
/// listens is lost, so the whole cache is dropped each time listening starts or stops.
public struct ProfileChangeListener: Service {
    let database: PostgresClient
    let cache: UserSummaryCache
    let logger: Logger

    public init(database: PostgresClient, cache: UserSummaryCache, logger: Logger) {
        self.database = database
        self.cache = cache
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await database.listenUntilCancelled(
                on: ProfileChanges.channel,
                logger: logger,
                listening: { cache.forgetAll() },
                interrupted: { cache.forgetAll() },
                notification: { payload in
                    if let id = ProfileChanges.userID(inPayload: payload) { cache.forget(id) }
                }
            )
        }
    }
}
