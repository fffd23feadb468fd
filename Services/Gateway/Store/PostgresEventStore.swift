import Foundation
import Logging
import PostgresNIO
import Shared

/// The gateways' side of the events outbox (`events` schema, ``EventsMigrations``): numbering committed
/// events, reading them in that order, replaying a user's events for a resume, gateway sessions, and
/// pruning.
///
/// Outbox ids are assigned when a row is inserted, not when its transaction commits, so a reader that
/// moved past id 10 could miss id 9 committing later. ``sequence(batch:logger:)`` therefore gives each
/// row a position only once it is committed (the only rows its statement can see), one gateway at a
/// time (an advisory lock), in id order within a batch: a row that commits late gets a later position,
/// so positions become visible in increasing order with no gaps left to fill, and
/// ``events(after:limit:logger:)`` can move past a position for good. A long transaction holds back
/// nobody's events but its own.
public struct PostgresEventStore: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The advisory lock that makes numbering one gateway at a time (`hashtext('messenger.events.sequencer')`
    /// would do as well; a constant keeps it one round trip shorter).
    static let sequencerLock: Int64 = 0x6d65_7373_6576_6e74
    /// The advisory lock of pruning.
    static let pruneLock: Int64 = 0x6d65_7373_7072_756e

    /// Numbers the committed outbox rows that have no position yet (at most `batch`), and records who
    /// receives each for resuming. Waits while another gateway numbers, so every call that follows a commit sees it.
    /// - Returns: how many rows were numbered, and the last position now.
    @discardableResult
    public func sequence(batch: Int = 5000, logger: Logger) async throws -> (count: Int, lastPosition: Int64) {
        try await client.inTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.sequencerLock))", logger: logger)
            // A new statement, so a new snapshot: it sees what the previous holder of the lock committed.
            let rows = try await connection.query(
                """
                WITH ready AS (
                    SELECT id, recipients FROM events.outbox
                    WHERE position IS NULL
                    ORDER BY id LIMIT \(batch)
                ), numbered AS (
                    SELECT r.id, r.recipients, s.last_position + row_number() OVER (ORDER BY r.id) AS position
                    FROM ready r, events.sequencer s
                ), sequenced AS (
                    UPDATE events.outbox o SET position = n.position FROM numbered n WHERE o.id = n.id
                ), delivered AS (
                    INSERT INTO events.deliveries (user_id, position)
                    SELECT DISTINCT recipient, n.position FROM numbered n, unnest(n.recipients) AS recipient
                ), advanced AS (
                    UPDATE events.sequencer SET last_position = (SELECT max(position) FROM numbered)
                    WHERE EXISTS (SELECT 1 FROM numbered)
                    RETURNING last_position
                )
                SELECT (SELECT count(*) FROM numbered),
                       COALESCE((SELECT last_position FROM advanced), (SELECT last_position FROM events.sequencer))
                """,
                logger: logger
            )
            var result: (count: Int, lastPosition: Int64) = (0, 0)
            for try await (count, last) in rows.decode((Int64, Int64).self) { result = (Int(count), last) }
            if result.count > 0 {
                // Wakes the other gateways to read what is now numbered (delivered on commit).
                try await connection.query(
                    "SELECT pg_notify(\(EventsMigrations.channel), 'sequenced')",
                    logger: logger
                )
            }
            return result
        }
    }

    /// Announces an ephemeral event (`TYPING_START`, `PRESENCE_UPDATE`: never stored or replayed) to the
    /// live connections of `recipients` on every gateway, through the same notification channel as the
    /// outbox. The recipients go in chunks, each notification within PostgreSQL's 8,000-byte limit.
    public func announce(_ type: String, payload: String, to recipients: [Int64], logger: Logger) async throws {
        for notice in EphemeralNotice.notices(type: type, payload: payload, to: recipients) {
            try await client.query(
                "SELECT pg_notify(\(EventsMigrations.channel), \(notice.text))",
                logger: logger
            )
        }
    }

    /// The last position handed out.
    public func lastPosition(logger: Logger) async throws -> Int64 {
        let rows = try await client.query("SELECT last_position FROM events.sequencer", logger: logger)
        for try await position in rows.decode(Int64.self) { return position }
        return 0
    }

    /// Up to `limit` numbered events after `position`, in order.
    public func events(after position: Int64, limit: Int, logger: Logger) async throws -> [StoredEvent] {
        try await collect(
            client.query(
                """
                SELECT position, type, recipients, payload, origin_session, nonce FROM events.outbox
                WHERE position > \(position) ORDER BY position LIMIT \(limit)
                """,
                logger: logger
            )
        )
    }

    /// Up to `limit` of `userID`'s events after `position` and up to `through`, in order.
    public func events(
        of userID: Int64,
        after position: Int64,
        through: Int64,
        limit: Int,
        logger: Logger
    ) async throws -> [StoredEvent] {
        try await collect(
            client.query(
                """
                SELECT o.position, o.type, o.recipients, o.payload, o.origin_session, o.nonce
                FROM events.deliveries d JOIN events.outbox o ON o.position = d.position
                WHERE d.user_id = \(userID) AND d.position > \(position) AND d.position <= \(through)
                ORDER BY d.position LIMIT \(limit)
                """,
                logger: logger
            )
        )
    }

    func collect(_ rows: PostgresRowSequence) async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        for try await (position, type, recipients, payload, session, nonce) in rows.decode(
            (Int64, String, [Int64], String, String?, String?).self
        ) {
            events.append(
                StoredEvent(
                    position: position,
                    type: type,
                    recipients: recipients,
                    payload: payload,
                    originSession: session,
                    nonce: nonce
                )
            )
        }
        return events
    }

    /// The newest position pruned from `userID`'s events (0 when none was): a resume from before it
    /// cannot be complete.
    public func horizon(of userID: Int64, logger: Logger) async throws -> Int64 {
        let rows = try await client.query(
            "SELECT position FROM events.horizons WHERE user_id = \(userID)",
            logger: logger
        )
        for try await position in rows.decode(Int64.self) { return position }
        return 0
    }

    /// Records a new gateway session of `userID`.
    public func createSession(_ id: String, userID: Int64, logger: Logger) async throws {
        try await client.query(
            "INSERT INTO events.sessions (id, user_id) VALUES (\(id), \(userID))",
            logger: logger
        )
    }

    /// The user of gateway session `id`, if it exists and is younger than `maxAge`.
    public func sessionUser(_ id: String, maxAge: Duration, logger: Logger) async throws -> Int64? {
        let rows = try await client.query(
            """
            SELECT user_id FROM events.sessions
            WHERE id = \(id) AND created_at > now() - make_interval(secs => \(Double(maxAge.components.seconds)))
            """,
            logger: logger
        )
        for try await user in rows.decode(Int64.self) { return user }
        return nil
    }

    /// Prunes what no resume needs any more: per user, deliveries older than `retention` beyond the
    /// newest `keepPerUser` (recording the user's horizon), then events nobody keeps, then sessions older
    /// than `sessionLifetime`.
    /// - Returns: how many deliveries and events were pruned.
    @discardableResult
    public func prune(
        retention: Duration,
        keepPerUser: Int,
        sessionLifetime: Duration,
        logger: Logger
    ) async throws -> (deliveries: Int, events: Int) {
        let seconds = Double(retention.components.seconds)
        return try await client.inTransaction(logger: logger) { connection in
            // One gateway prunes at a time; the others skip this round.
            var locked = false
            for try await acquired in try await connection.query(
                "SELECT pg_try_advisory_xact_lock(\(Self.pruneLock))",
                logger: logger
            ).decode(Bool.self) {
                locked = acquired
            }
            guard locked else { return (0, 0) }
            var cutoff: Int64 = 0
            for try await position in try await connection.query(
                """
                SELECT COALESCE(max(position), 0) FROM events.outbox
                WHERE position IS NOT NULL AND created_at < now() - make_interval(secs => \(seconds))
                """,
                logger: logger
            ).decode(Int64.self) {
                cutoff = position
            }
            var deliveries = 0
            for try await count in try await connection.query(
                """
                WITH candidates AS (
                    SELECT DISTINCT user_id FROM events.deliveries WHERE position <= \(cutoff)
                ), bounds AS (
                    SELECT c.user_id, LEAST(\(cutoff)::bigint, kept.position) AS through
                    FROM candidates c
                    CROSS JOIN LATERAL (
                        SELECT d.position FROM events.deliveries d WHERE d.user_id = c.user_id
                        ORDER BY d.position DESC OFFSET \(keepPerUser) LIMIT 1
                    ) kept
                ), pruned AS (
                    DELETE FROM events.deliveries d USING bounds b
                    WHERE d.user_id = b.user_id AND d.position <= b.through
                    RETURNING d.user_id, d.position
                ), horizons AS (
                    INSERT INTO events.horizons (user_id, position)
                    SELECT user_id, max(position) FROM pruned GROUP BY user_id
                    ON CONFLICT (user_id) DO UPDATE SET position = GREATEST(events.horizons.position, excluded.position)
                )
                SELECT count(*) FROM pruned
                """,
                logger: logger
            ).decode(Int64.self) {
                deliveries = Int(count)
            }
            var events = 0
            for try await count in try await connection.query(
                """
                WITH pruned AS (
                    DELETE FROM events.outbox o WHERE o.position <= \(cutoff)
                      AND NOT EXISTS (SELECT 1 FROM events.deliveries d WHERE d.position = o.position)
                    RETURNING 1
                )
                SELECT count(*) FROM pruned
                """,
                logger: logger
            ).decode(Int64.self) {
                events = Int(count)
            }
            try await connection.query(
                """
                DELETE FROM events.sessions
                WHERE created_at < now() - make_interval(secs => \(Double(sessionLifetime.components.seconds)))
                """,
                logger: logger
            )
            return (deliveries, events)
        }
    }
}
