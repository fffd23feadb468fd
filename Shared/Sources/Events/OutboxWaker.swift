import Logging
import PostgresNIO
import ServiceLifecycle

/// Wakes the gateways after this service committed events: `NOTIFY events`, in a statement of its own,
/// after the commit, coalesced (while one is on its way, any number of wake-ups make one more).
///
/// Not from inside the writing transaction (a trigger did that first): PostgreSQL serializes the commits
/// of notifying transactions, WAL flush included, which capped posting at one commit per disk flush
/// (about 1,000 a second here, a quarter of what it was). A wake-up lost to a crash costs at most the
/// gateways' one-second poll.
public final class OutboxWaker: Service, Sendable {
    let client: PostgresClient
    let logger: Logger
    private let wakeUps: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        (wakeUps, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a notification (cheap: it never waits).
    public func wake() {
        continuation.yield()
    }

    public func run() async {
        let (wakeUps, client, logger) = (self.wakeUps, self.client, self.logger)
        await cancelWhenGracefulShutdown {
            for await _ in wakeUps {
                do {
                    try await client.query("SELECT pg_notify(\(EventsMigrations.channel), 'appended')", logger: logger)
                } catch {
                    logger.debug("events.notify_failed", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        }
    }
}
