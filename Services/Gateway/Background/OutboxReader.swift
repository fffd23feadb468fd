import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// Reads the events outbox and hands every event to this instance's connections, once and in order.
///
/// Woken by `NOTIFY events` (an insert, or another gateway's numbering) and by a tick, since a
/// notification is only a wake-up and can be lost while the listening connection reconnects. Each
/// wake-up numbers what has committed (``PostgresEventStore/sequence(batch:logger:)``, one gateway at a
/// time) and reads everything after the last position delivered. The tick also closes connections past
/// their deadlines or whose sessions were revoked, and prunes what no resume needs. The same channel
/// carries ``EphemeralNotice``s (typing, presence), which go straight to the local connections of their
/// recipients.
public struct OutboxReader: Service {
    let store: PostgresEventStore
    let database: PostgresClient
    let registry: ConnectionRegistry
    let settings: RealtimeSettings
    let revocations: RevocationList
    let logger: Logger
    /// Events read per statement.
    static let page = 1000

    public func run() async throws {
        let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await listen(waking: wake) }
                group.addTask { await tick(waking: wake) }
                group.addTask { await pump(wakes) }
                await group.next()
                group.cancelAll()
            }
        }
        wake.finish()
    }

    /// Numbers and delivers on every wake-up (the registry starts where the outbox stood at start-up).
    func pump(_ wakes: AsyncStream<Void>) async {
        for await _ in wakes where registry.isStarted {
            do {
                try await store.sequence(logger: logger)
                while true {
                    let events = try await store.events(after: registry.position, limit: Self.page, logger: logger)
                    registry.deliver(events)
                    if events.count < Self.page { break }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("events.read_failed", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Listens for `NOTIFY events` on a connection of its own, reconnecting after a failure.
    func listen(waking wake: AsyncStream<Void>.Continuation) async {
        await database.listenUntilCancelled(
            on: EventsMigrations.channel,
            logger: logger,
            // Anything committed while nobody listened is read now.
            listening: { wake.yield() },
            notification: { payload in
                if let notice = EphemeralNotice(notification: payload) {
                    registry.deliverEphemeral(notice.type, payload: notice.payload, to: notice.recipients)
                } else {
                    wake.yield()
                }
            }
        )
    }

    /// Every tick: a wake-up, the deadlines and revocations of the connections, and now and then pruning.
    func tick(waking wake: AsyncStream<Void>.Continuation) async {
        var lastPrune = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.tick)
            wake.yield()
            let now = ContinuousClock.now
            for connection in registry.connections() {
                if let (code, reason) = connection.expiry(now: now, isRevoked: revocations.contains) {
                    connection.close(code: code, reason: reason)
                }
            }
            if now - lastPrune >= settings.pruneInterval {
                lastPrune = now
                do {
                    let pruned = try await store.prune(
                        retention: settings.retention,
                        keepPerUser: settings.keptPerUser,
                        sessionLifetime: settings.sessionLifetime,
                        logger: logger
                    )
                    if pruned.events > 0 {
                        logger.debug("events.pruned", metadata: ["events": "\(pruned.events)"])
                    }
                } catch {
                    logger.warning("events.prune_failed", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        }
    }
}
