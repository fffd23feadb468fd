import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps a ``UserSummaryCache`` true to Users: listens on ``ProfileChanges/channel`` on a connection of
/// its own and drops the summary of every user Users announces. A notification sent while nobody
/// listens is lost, so the whole cache is dropped each time listening (re)starts.
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
            while !Task.isCancelled {
                do {
                    try await database.withConnection { connection in
                        try await connection.listen(on: ProfileChanges.channel) { notifications in
                            cache.forgetAll()
                            for try await notification in notifications {
                                if let id = ProfileChanges.userID(inPayload: notification.payload) {
                                    cache.forget(id)
                                }
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.debug("profile_changes.listen_failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                cache.forgetAll()
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
