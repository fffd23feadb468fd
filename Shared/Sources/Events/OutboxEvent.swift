import Logging
import PostgresNIO

/// One event for the outbox: its type, the users who receive it, and its `d` object as JSON text.
public struct OutboxEvent: Sendable, Equatable {
    public var type: EventType
    /// The users whose connections receive it (each once, whatever the order).
    public var recipients: [Int64]
    /// The dispatch's `d`: the same object the REST API answers for it, as JSON text.
    public var payload: String
    /// The gateway connection that caused it (`send_message`), with the client's `nonce` echoed to that
    /// connection alone.
    public var origin: (session: String, nonce: String)?

    public init(
        _ type: EventType,
        to recipients: [Int64],
        payload: String,
        origin: (session: String, nonce: String)? = nil
    ) {
        self.type = type
        self.recipients = recipients
        self.payload = payload
        self.origin = origin
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.type == rhs.type && lhs.recipients == rhs.recipients && lhs.payload == rhs.payload
            && lhs.origin?.session == rhs.origin?.session && lhs.origin?.nonce == rhs.origin?.nonce
    }
}

extension PostgresConnection {
    /// Appends `events` to the outbox in the transaction this connection is in, so they commit (and
    /// become deliverable) exactly when the change they describe does. Nothing is written for an event
    /// without recipients.
    public func append(_ events: [OutboxEvent], logger: Logger) async throws {
        for event in events where !event.recipients.isEmpty {
            try await query(
                """
                INSERT INTO events.outbox (type, recipients, payload, origin_session, nonce)
                VALUES (\(event.type.rawValue), \(event.recipients), \(event.payload), \(event.origin?.session), \(event.origin?.nonce))
                """,
                logger: logger
            )
        }
    }
}
