/// The `events` schema: the transactional outbox every service appends its events to and the gateways
/// read (the one table shared across services, ARCHITECTURE.md "Real-time delivery").
///
/// - `outbox`: one row per event, written in the transaction of the change that causes it, with the
///   ids of the users who receive it. `position` is NULL until the sequencer (run by the gateways,
///   `PostgresEventStore.sequence`) numbers the row, after its transaction has committed, so positions
///   grow in the order rows become readable and a reader that moves past a position never finds an
///   earlier one appearing later.
/// - `deliveries`: who receives which position, for resuming a connection; kept at least
///   `EVENTS_RETENTION_SECONDS` and the newest `EVENTS_KEEP_PER_USER` per user.
/// - `sequencer`: the last position handed out (one row; positions never go back, even when every
///   row has been pruned).
/// - `horizons`: per user, the newest position pruned; a resume from before it cannot be complete.
/// - `sessions`: gateway sessions (the `session_id` of READY), so any gateway instance can resume one.
///
/// The writing service wakes the gateways after its commit (``OutboxWaker``, `NOTIFY events`); the
/// notification is only a wake-up, the table is the source of truth.
public enum EventsMigrations {
    public static let all: [Migration] = [
        Migration(
            1,
            "create_outbox",
            [
                """
                CREATE TABLE events.outbox (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    position bigint UNIQUE,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    type text NOT NULL,
                    recipients bigint[] NOT NULL,
                    payload text NOT NULL,
                    origin_session text,
                    nonce text
                )
                """,
                "CREATE INDEX outbox_unsequenced_idx ON events.outbox (id) WHERE position IS NULL",
                "CREATE INDEX outbox_created_idx ON events.outbox (created_at)",
                """
                CREATE TABLE events.deliveries (
                    user_id bigint NOT NULL,
                    position bigint NOT NULL,
                    PRIMARY KEY (user_id, position)
                )
                """,
                "CREATE INDEX deliveries_position_idx ON events.deliveries (position)",
                """
                CREATE TABLE events.sequencer (
                    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                    last_position bigint NOT NULL
                )
                """,
                "INSERT INTO events.sequencer (last_position) VALUES (0)",
                "CREATE TABLE events.horizons (user_id bigint PRIMARY KEY, position bigint NOT NULL)",
                """
                CREATE TABLE events.sessions (
                    id text PRIMARY KEY,
                    user_id bigint NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
            ]
        )
    ]

    /// Applied by every service that writes or reads events, whichever starts first.
    public static let migrator = Migrator(schema: "events", migrations: all)

    /// The channel of the wake-up notifications.
    public static let channel = "events"
}
