import Synchronization

/// The gateway WebSocket connections of this instance, by user, and the position of the last event
/// they were given: the outbox reader hands every numbered event to ``deliver(_:)`` once, in order, and
/// each goes to the connections of its recipients.
final class ConnectionRegistry: Sendable {
    struct State {
        /// The last position delivered.
        var position: Int64 = 0
        var isStarted = false
        var all: [ObjectIdentifier: GatewayConnection] = [:]
        var byUser: [Int64: [GatewayConnection]] = [:]
    }

    private let state = Mutex(State())

    /// The last position delivered.
    var position: Int64 { state.withLock { $0.position } }

    /// How many connections are open.
    var count: Int { state.withLock { $0.all.count } }

    /// Whether ``start(at:)`` was called: the events schema exists and the position is known.
    var isStarted: Bool { state.withLock { $0.isStarted } }

    /// Starts delivering after `position` (where the outbox stands when the gateway starts).
    func start(at position: Int64) {
        state.withLock {
            $0.position = max($0.position, position)
            $0.isStarted = true
        }
    }

    /// Adds a new connection (not yet anyone's).
    func add(_ connection: GatewayConnection) {
        state.withLock { $0.all[ObjectIdentifier(connection)] = connection }
    }

    /// Makes `connection` receive `userID`'s events after the returned position (buffered until it goes
    /// live).
    func subscribe(_ connection: GatewayConnection, userID: Int64) -> Int64 {
        state.withLock { state in
            state.byUser[userID, default: []].append(connection)
            return state.position
        }
    }

    /// Forgets a closed connection.
    func remove(_ connection: GatewayConnection) {
        state.withLock { state in
            state.all[ObjectIdentifier(connection)] = nil
            guard let userID = connection.userID, var list = state.byUser[userID] else { return }
            list.removeAll { $0 === connection }
            state.byUser[userID] = list.isEmpty ? nil : list
        }
    }

    /// The users with at least one identified connection (for the presence report).
    func userIDs() -> [Int64] {
        state.withLock { Array($0.byUser.keys) }
    }

    /// Every open connection (for the deadline checks).
    func connections() -> [GatewayConnection] {
        state.withLock { Array($0.all.values) }
    }

    /// Sends an ephemeral event (no position: never stored or replayed) to the live connections of
    /// `recipients`.
    func deliverEphemeral(_ type: String, payload: String, to recipients: [Int64]) {
        let frame = GatewayFrame.dispatch(type, sequence: nil, payload: payload)
        state.withLock { state in
            for recipient in recipients {
                for connection in state.byUser[recipient] ?? [] { connection.sendIfLive(frame) }
            }
        }
    }

    /// Hands each event after the last position delivered to its recipients' connections, in order.
    func deliver(_ events: [StoredEvent]) {
        state.withLock { state in
            for event in events where event.position > state.position {
                // One frame for every recipient (only the connection owed a nonce gets its own).
                var frame: String?
                for recipient in event.recipients {
                    guard let connections = state.byUser[recipient] else { continue }
                    let text =
                        frame ?? GatewayFrame.dispatch(event.type, sequence: event.position, payload: event.payload)
                    frame = text
                    for connection in connections { connection.deliver(event, frame: text) }
                }
                state.position = event.position
            }
        }
    }
}
